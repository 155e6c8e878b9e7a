#!/usr/bin/env bash
# Runs a command against a fresh sandbox: starts it on a free port, exports
# TOGGL_SANDBOX_URL (http://127.0.0.1:PORT) and TOGGL_BASE_URL (its default tenant's /api/v9),
# runs "$@", and stops the sandbox whatever happens. Exit status is the command's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
workdir="$(mktemp -d)"
mkfifo "$workdir/stdin"
# The sandbox exits when its stdin reaches EOF, i.e. when this script (holding fd 9) is gone.
python3 "$here/sandbox.py" --port 0 --exit-on-stdin-eof < "$workdir/stdin" > "$workdir/out" 2> "$workdir/err" &
pid=$!
exec 9> "$workdir/stdin"
cleanup() { exec 9>&-; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT
deadline=$((SECONDS + 20))
port=""
while [ -z "$port" ]; do
    port="$(sed -n 's/^PORT \([0-9][0-9]*\)$/\1/p' "$workdir/out" 2>/dev/null | head -n 1)"
    [ -n "$port" ] && break
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "run-with-sandbox: the sandbox did not start:" >&2
        cat "$workdir/err" >&2
        exit 1
    fi
    sleep 0.05
done
export TOGGL_SANDBOX_URL="http://127.0.0.1:$port"
export TOGGL_BASE_URL="$TOGGL_SANDBOX_URL/api/v9"
"$@"
