#!/usr/bin/env bash
# The demo on a fresh machine: installs everything, starts the local stack and the
# services, then runs a coupon rush and a paid order end to end (infra/demo/scenario.ts).
# The services are stopped at the end (KEEP_RUNNING=1 leaves them up); the stack stays up:
# stop it with `bash infra/local/stack.sh down`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for lib in common node toolchain; do source "$here/local/lib/$lib.sh"; done

ensure_workspace
bash "$here/local/stack.sh" up
create_topics
register_schemas
[[ "${KEEP_RUNNING:-}" == 1 ]] || trap 'bash "$here/local/apps.sh" down' EXIT
bash "$here/local/apps.sh" up
node --disable-warning=TimeoutNegativeWarning "$here/demo/scenario.ts"
