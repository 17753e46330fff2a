#!/usr/bin/env bash
# The demo on a fresh machine: installs everything, starts the local stack, creates the
# topics and shows the stack healthy. Later issues grow it into the full scenario.
# Stop everything with: bash infra/local/stack.sh down
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for lib in common node toolchain; do source "$here/local/lib/$lib.sh"; done

ensure_workspace
bash "$here/local/stack.sh" up
create_topics
register_schemas
log "the stack is up; stop it with: bash infra/local/stack.sh down"
