#!/usr/bin/env bash
# A short session with the toggl command against the sandbox: make demo runs it under
# Tests/Sandbox/run-with-sandbox.sh, which exports TOGGL_BASE_URL. Usage: toggl-session.sh PATH-TO-TOGGL
set -euo pipefail
toggl="$1"
: "${TOGGL_BASE_URL:?run this under Tests/Sandbox/run-with-sandbox.sh}"
store_dir="$(mktemp -d)"
trap 'rm -rf "$store_dir"' EXIT
# The sandbox's token (Tests/Sandbox/README.md) and a store of its own: never the real account's.
export TOGGL_API_TOKEN=sandbox-api-token-0123456789abcdef
export TOGGL_STORE="$store_dir/store.db"

# run LINES ARGS...: prints the command, then its first LINES lines (sed reads everything:
# head would end toggl with SIGPIPE).
run() {
    local lines="$1"
    shift
    printf '\n$ toggl %s\n' "$*"
    "$toggl" "$@" | sed -n "1,${lines}p"
}
run 20 me
run 5 projects --active --max-age 15m
run 4 tags --offline --csv
run 20 status
run 20 quota
