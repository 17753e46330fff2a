# Node 24, pnpm and the workspace's dependencies, ready to run scripts from the repo root.

ensure_workspace() {
  ensure_node
  ensure_pnpm
  # Prisma's generate needs a schema engine path but does not run it; the native engine
  # cannot be downloaded on these machines (see README, "Prisma without its engine").
  export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(type -P true)}"
  # kafkajs 2.2.4 sets negative timeouts that Node 24 warns about on every client; harmless.
  case " ${NODE_OPTIONS:-} " in
    *TimeoutNegativeWarning*) ;;
    *) export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--disable-warning=TimeoutNegativeWarning" ;;
  esac
  log "installing workspace dependencies (pnpm $(pnpm --version), node $(node --version))"
  (cd "$ROOT_DIR" && pnpm install --frozen-lockfile --reporter=silent) || die "pnpm install failed"
  # The generated Prisma clients are not committed; services, scripts and benchmarks run
  # from source and import them, so they exist before anything else runs (turbo caches it).
  (cd "$ROOT_DIR" && TURBO_TELEMETRY_DISABLED=1 pnpm exec turbo run generate --output-logs=errors-only >/dev/null) ||
    die "generating the Prisma clients failed (pnpm exec turbo run generate shows why)"
}

create_topics() {
  (cd "$ROOT_DIR" && pnpm --filter @commerce/kafka run --silent topics) || die "creating the topics failed"
}

# The schema step of the build: compatibility with each schema's committed history, then
# registration under the real subjects (BACKWARD enforced by the registry).
register_schemas() {
  (cd "$ROOT_DIR" && pnpm --filter @commerce/events run --silent schemas check &&
    pnpm --filter @commerce/events run --silent schemas register) || die "the schema step failed"
}
