#!/usr/bin/env bash
# The demo on a fresh machine: installs everything, starts the local stack (with the
# gateway) and the six services, then runs the scenario through the gateway: a coupon rush,
# orders and the ranking, the analytics report, webhooks with a dead letter and its replay
# (infra/demo/scenario.ts). The services are stopped at the end (KEEP_RUNNING=1 leaves them
# up); the stack stays up: stop everything with `bash infra/local/stack.sh down`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for lib in common node toolchain; do source "$here/local/lib/$lib.sh"; done

ensure_workspace
bash "$here/local/stack.sh" up
create_topics
register_schemas
[[ "${KEEP_RUNNING:-}" == 1 ]] || trap 'bash "$here/local/apps.sh" down' EXIT
bash "$here/local/apps.sh" up
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:${GATEWAY_PORT:-8080}}" \
  node --disable-warning=TimeoutNegativeWarning "$here/demo/scenario.ts"
