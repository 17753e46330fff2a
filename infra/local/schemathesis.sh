#!/usr/bin/env bash
# schemathesis (the OpenAPI fuzzer of infra/test/schemathesis.test.ts) in a venv of its own in
# the cache folder, every package pinned (schemathesis/requirements.txt).
#   infra/local/schemathesis.sh install     create the venv if it is missing or stale (idempotent)
#   infra/local/schemathesis.sh run ARGS    install, then run `schemathesis ARGS`
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/common.sh"

REQUIREMENTS="$INFRA_DIR/schemathesis/requirements.txt"
SCHEMATHESIS_VERSION="$(sed -n 's/^schemathesis==//p' "$REQUIREMENTS")"
# One venv per pinned set: changing requirements.txt makes a new one, never a half-updated one.
VENV="$CACHE_DIR/schemathesis-$SCHEMATHESIS_VERSION-$(sha256sum "$REQUIREMENTS" | cut -c1-12)"

# schemathesis 4 needs Python 3.9 or later; the first such interpreter on PATH is used.
find_python() {
  local candidate
  for candidate in "${SCHEMATHESIS_PYTHON:-}" python3.13 python3.12 python3.11 python3.10 python3; do
    [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null || continue
    "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null || continue
    command -v "$candidate"
    return 0
  done
  die "schemathesis needs Python 3.9+ with its venv module (Debian: apt-get install python3 python3-venv); none found on PATH (or set SCHEMATHESIS_PYTHON)"
}

install() {
  [[ -x "$VENV/bin/schemathesis" && -f "$VENV/.complete" ]] && return 0
  mkdir -p "$CACHE_DIR"
  # Two test runs may install at once: one installs, the other waits and finds it done.
  exec 9>"$VENV.lock"
  flock 9
  [[ -x "$VENV/bin/schemathesis" && -f "$VENV/.complete" ]] && return 0
  local python
  python="$(find_python)"
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV ($("$python" --version))"
  rm -rf "$VENV"
  "$python" -m venv "$VENV" || die "$python -m venv failed (Debian: apt-get install python3-venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS" ||
    { rm -rf "$VENV"; die "pip install of $REQUIREMENTS failed (see above)"; }
  touch "$VENV/.complete"
}

case "${1:-}" in
  install) install; echo "$VENV/bin/schemathesis" ;;
  run) shift; install; exec "$VENV/bin/schemathesis" "$@" ;;
  *) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
