# The project's shell environment, for the README's commands in a fresh shell:
#
#   source infra/env.sh
#
# puts the project's Node 24 and pnpm on PATH (installing them into the cache folder if
# they are missing), installs the workspace's dependencies and generates the Prisma
# clients (quick when nothing changed), and exports the local stack's connection settings
# (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, MYSQL_*, REDIS_URL, KAFKA_LIBS). It starts nothing:
# `bash infra/local/stack.sh up` starts the stack.
# shellcheck shell=bash
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "source this file instead: source ${BASH_SOURCE[0]}" >&2
  exit 2
fi
# A subshell does the work, so `set -e` and its helpers never touch the caller's shell; it
# prints the exports for the caller to evaluate.
__commerce_env="$(
  set -euo pipefail
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  for lib in common node toolchain; do source "$here/local/lib/$lib.sh"; done
  ensure_workspace >&2
  printf 'export PATH=%q\n' "$PATH"
  printf 'export PRISMA_SCHEMA_ENGINE_BINARY=%q NODE_OPTIONS=%q\n' "$PRISMA_SCHEMA_ENGINE_BINARY" "$NODE_OPTIONS"
  bash "$here/local/stack.sh" env
)" || { echo "[env] setting up the project's environment failed (see above)" >&2; return 1; }
eval "$__commerce_env"
unset __commerce_env
export TURBO_TELEMETRY_DISABLED=1
