#!/usr/bin/env bash
# Builds and runs libtoggl's C test suite and examples against the sandbox.
#
#   Tests/C/run.sh <libdir> [test-name-substring...]
#
# <libdir> holds libtoggl.so. The tests run under valgrind (set VALGRIND=0 to skip it);
# anything failing - compile, header check, a test, a leak, an example - makes the exit
# status non-zero. Output goes to build/tests/ and build/examples/.
set -u -o pipefail

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 <libdir> [test-name-substring...]" >&2
    exit 2
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIBDIR=$(cd "$1" && pwd)
shift
cd "$ROOT" || exit 2

if [ ! -e "$LIBDIR/libtoggl.so" ]; then
    echo "run.sh: $LIBDIR/libtoggl.so does not exist" >&2
    exit 2
fi

CC=${CC:-cc}
CXX=${CXX:-c++}
CFLAGS="-std=c99 -Wall -Wextra -Werror -pthread -Iinclude"
TEST_BIN=build/tests/toggl_c_tests
VALGRIND=${VALGRIND:-1}
# Only definite and indirect leaks are errors. "Possibly lost" blocks are the embedded Swift
# runtime's one-time metadata caches (held through interior pointers); they are not listed.
VALGRIND_CMD=(valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect
              --show-leak-kinds=definite,indirect --error-exitcode=1 --quiet)
if [ -f Tests/C/valgrind.supp ]; then
    VALGRIND_CMD+=(--suppressions=Tests/C/valgrind.supp)
fi

failures=0
fail() {
    echo "run.sh: FAIL: $*" >&2
    failures=$((failures + 1))
}

# The binaries run against a private copy of the library: a rebuild that rewrites
# <libdir>/libtoggl.so in place while the suite runs would otherwise crash it (SIGBUS).
TMP=$(mktemp -d)
SANDBOX_PID=
cleanup() {
    exec 3>&- 2>/dev/null
    if [ -n "$SANDBOX_PID" ]; then
        kill "$SANDBOX_PID" 2>/dev/null
        wait "$SANDBOX_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$TMP/lib"
cp -L "$LIBDIR/libtoggl.so" "$TMP/lib/libtoggl.so.0"
ln -s libtoggl.so.0 "$TMP/lib/libtoggl.so"
RUNLIB="$TMP/lib"
export LD_LIBRARY_PATH="$RUNLIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# --- header, exports, pkg-config -----------------------------------------------------------
$CC -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -x c include/toggl.h ||
    fail "include/toggl.h does not compile as C99"
$CXX -std=c++17 -Wall -Wextra -Werror -fsyntax-only -x c++ include/toggl.h ||
    fail "include/toggl.h does not compile as C++17"

declared=$(grep -oE '\btoggl_[a-z_]+\(' include/toggl.h | tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$RUNLIB/libtoggl.so" | awk '$2 ~ /^[TtWi]$/ {print $3}' | sed 's/@.*//' | sort -u)
for f in $declared; do
    grep -qx "$f" <<<"$exported" || fail "$f is declared in toggl.h but not exported by libtoggl.so"
done
stray=$(grep -v '^toggl_' <<<"$exported" | grep -v '^$' || true)
[ -z "$stray" ] || fail "libtoggl.so exports symbols outside toggl_*: $(echo $stray | head -c 300)"

mkdir -p build/tests build/examples
sed -e "s|@PREFIX@|/usr/local|" -e "s|@LIBDIR@|$LIBDIR|" -e "s|@INCLUDEDIR@|$ROOT/include|" \
    -e "s|@VERSION@|$(cat VERSION)|" toggl.pc.in >build/tests/toggl.pc
PKG_CONFIG_PATH=build/tests pkg-config --validate toggl || fail "toggl.pc.in does not validate"

# --- build -------------------------------------------------------------------------------------
$CC $CFLAGS Tests/C/harness.c Tests/C/test_*.c -L"$RUNLIB" -ltoggl -lcurl -ljansson -o "$TEST_BIN" ||
    { echo "run.sh: the tests do not compile" >&2; exit 1; }
for ex in me projects_pager; do
    $CC -std=c99 -Wall -Wextra -Werror -Iinclude "examples/$ex.c" -L"$RUNLIB" -ltoggl -ljansson \
        -o "build/examples/$ex" || fail "examples/$ex.c does not compile"
done

# --- sandbox ------------------------------------------------------------------------------------
# Its stdin is a FIFO whose only writer is this script (fd 3): when the script exits, for any
# reason, the sandbox sees EOF and exits too.
mkfifo "$TMP/stdin"
python3 Tests/Sandbox/sandbox.py --port 0 --exit-on-stdin-eof <"$TMP/stdin" >"$TMP/port" 2>"$TMP/sandbox.err" &
SANDBOX_PID=$!
exec 3>"$TMP/stdin"
PORT=
for _ in $(seq 1 200); do
    if read -r word port <"$TMP/port" 2>/dev/null && [ "$word" = PORT ]; then
        PORT=$port
        break
    fi
    kill -0 "$SANDBOX_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$PORT" ]; then
    echo "run.sh: the sandbox did not start" >&2
    cat "$TMP/sandbox.err" >&2
    exit 1
fi
export TOGGL_SANDBOX_URL="http://127.0.0.1:$PORT"
echo "sandbox on $TOGGL_SANDBOX_URL"

# --- tests --------------------------------------------------------------------------------------
if [ "$VALGRIND" = 0 ]; then
    runner=("$TEST_BIN")
else
    runner=("${VALGRIND_CMD[@]}" "$TEST_BIN")
    # Valgrind runs code some 10-50x slower; time bounds in the tests stretch by this much.
    export H_TIME_SCALE=${H_TIME_SCALE:-10}
fi
"${runner[@]}" "$@" 2>&1 | tee "$TMP/tests.log"
rc=${PIPESTATUS[0]}
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/tests.log" | tail -n 1)
if [ -z "$summary" ]; then
    fail "the test runner did not finish (exit $rc)"
elif [ "$rc" -ne 0 ]; then
    if grep -qE ' 0 failed$' <<<"$summary"; then
        fail "valgrind reported errors or leaks (exit $rc)"
    else
        fail "tests failed: $summary"
    fi
fi

# --- examples (default tenant) -----------------------------------------------------------------
if [ $# -eq 0 ]; then
    export TOGGL_BASE_URL="$TOGGL_SANDBOX_URL/api/v9"
    unset TOGGL_API_TOKEN
    ex_runner=()
    [ "$VALGRIND" = 0 ] || ex_runner=("${VALGRIND_CMD[@]}")
    if "${ex_runner[@]}" build/examples/me >"$TMP/me.out" 2>"$TMP/me.err"; then
        grep -q "Sandbox User" "$TMP/me.out" || fail "examples/me did not print Sandbox User"
        grep -q "^quota: " "$TMP/me.out" || fail "examples/me did not print the quota"
        head -n 1 "$TMP/me.out"
        tail -n 1 "$TMP/me.out"
    else
        cat "$TMP/me.out" "$TMP/me.err" >&2
        fail "examples/me exited non-zero (or valgrind found errors)"
    fi
    if "${ex_runner[@]}" build/examples/projects_pager 200 >"$TMP/pager.out" 2>"$TMP/pager.err"; then
        # The seed's project count, from the sandbox's manifest (never a literal here).
        projects=$(python3 -c 'import json, sys, urllib.request as u
print(json.load(u.build_opener(u.ProxyHandler({})).open(sys.argv[1] + "/__sandbox/manifest"))["projects"])' "$TOGGL_SANDBOX_URL")
        grep -qx "total: $projects projects" "$TMP/pager.out" || fail "examples/projects_pager did not count $projects projects"
        tail -n 1 "$TMP/pager.out"
    else
        cat "$TMP/pager.out" "$TMP/pager.err" >&2
        fail "examples/projects_pager exited non-zero (or valgrind found errors)"
    fi
    if build/examples/projects_pager -3 >/dev/null 2>&1; then
        fail "examples/projects_pager accepted a negative page size"
    fi
fi

if [ -s "$TMP/sandbox.err" ]; then
    echo "--- sandbox stderr ---" >&2
    cat "$TMP/sandbox.err" >&2
fi

echo "${summary:-0 passed, 0 failed (runner did not finish)}"
if [ "$failures" -ne 0 ]; then
    echo "run.sh: $failures problem(s)" >&2
    exit 1
fi
exit 0
