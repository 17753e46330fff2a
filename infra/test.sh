#!/usr/bin/env bash
# Runs every test on a fresh machine: installs Node 24, pnpm, the workspace and the local
# stack (Kafka, schema registry, MariaDB, Redis), starts the stack, creates the topics,
# then lint, typecheck and `turbo run test`. Services this script started are stopped at
# the end; a stack that was already running is left running.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for lib in common node toolchain; do source "$here/local/lib/$lib.sh"; done

ensure_workspace
apt_install chromium   # the console test drives Debian's Chromium headless (playwright-core)
running_before="$(bash "$here/local/stack.sh" status | grep -c ' running ' || true)"
bash "$here/local/stack.sh" up
if [[ "$running_before" == 0 && "${KEEP_STACK:-}" != 1 ]]; then
  trap 'bash "$here/local/stack.sh" down' EXIT
fi
create_topics
register_schemas

cd "$ROOT_DIR"
export TURBO_TELEMETRY_DISABLED=1 FORCE_COLOR=0 NO_COLOR=1
pnpm exec biome check .
pnpm exec turbo run typecheck
report="$STATE_DIR/logs/test-run.log"
status=0
pnpm exec turbo run test --continue --concurrency=2 "$@" 2>&1 | tee "$report" || status=$?
# The failures again at the end, where a truncated CI log still shows them: each package's
# vitest "Failed Tests" section (the test's name and its assertion), at most 100 lines.
# turbo prefixes each line with its task ($1), and tasks run side by side.
awk '/Failed Tests [0-9]/ { on[$1] = 1 } on[$1] { print } / Test Files / { on[$1] = 0 }' "$report" |
  head -n 100 || true
# One closing line for the whole run, summed over every package's vitest summary.
awk '/Tests +[0-9]/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$report"
exit "$status"
