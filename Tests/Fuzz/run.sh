#!/usr/bin/env bash
# Builds the libFuzzer targets of Tests/Fuzz, seeds their corpora from the recorded responses and
# runs each for FUZZ_SECONDS seconds. Prints one summary line per target and exits non-zero when
# a build fails or libFuzzer reports a finding (crash, trap, sanitizer report, leak, timeout, OOM).
#
#   Tests/Fuzz/run.sh                          every target, FUZZ_SECONDS (default 5) each
#   Tests/Fuzz/run.sh FuzzTimestamp            only the targets named
#   FUZZ_SECONDS=600 Tests/Fuzz/run.sh FuzzModelDecoding
#   FUZZ_SECONDS=0 FUZZ_ARGS=-runs=10000000 Tests/Fuzz/run.sh FuzzTimestamp    a number of runs
#
# Environment:
#   FUZZ_SECONDS    seconds per target (-max_total_time; 0: no limit), default 5
#   FUZZ_TARGETS    targets to run when none are named, default every Tests/Fuzz/Fuzz*.swift
#   FUZZ_BUILD      build folder, default build/fuzz (TogglKit/, corpus/, artifacts/, logs/ go inside)
#   FUZZ_SOURCES    the TogglKit sources compiled in, default Sources/TogglKit (the working tree)
#   FUZZ_ARGS       extra libFuzzer arguments, appended last
#   FUZZ_TOLERATE   fixed findings to pass over, to fuzz a commit from before the fix (README.md,
#                   "Findings"): nul-in-key (FuzzJSONValidator), timestamp-range (FuzzTimestamp)
#
# The TogglKit sources are compiled once (whole-module, -enable-testing) into objects and a
# TogglKit.swiftmodule in $FUZZ_BUILD/TogglKit/; each target is its own small module that does
# `@testable import TogglKit` (internal API such as JSONValidator; `package` API such as
# StoreRows through the same -package-name) and links those objects. Nothing here touches .build/.
set -euo pipefail
cd "$(dirname "$0")/../.."

FUZZ_SECONDS=${FUZZ_SECONDS:-5}
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
FUZZ_SOURCES=${FUZZ_SOURCES:-Sources/TogglKit}
FUZZ_ARGS=${FUZZ_ARGS:-}
# Every Tests/Fuzz/Fuzz*.swift is a target.
ALL_TARGETS=$(cd Tests/Fuzz && ls Fuzz*.swift | sed 's/\.swift$//' | LC_ALL=C sort | tr '\n' ' ')
if [ $# -gt 0 ]; then targets="$*"; else targets=${FUZZ_TARGETS:-$ALL_TARGETS}; fi

FIXTURES=Tests/TogglKitTests/Fixtures
SEEDS=Tests/Fuzz/seeds
SWIFTC=${SWIFTC:-swiftc}

# The Swift runtime's own crash handler (Swift 6 backtracer) runs before libFuzzer's and
# AddressSanitizer's and, under ASan, crashes itself reading the shadow gap; with it off a trap
# reaches libFuzzer, which prints the stack and writes the artifact.
export SWIFT_BACKTRACE=enable=no
# Leaks: LeakSanitizer stays on (libFuzzer's -detect_leaks=1 default). The Swift runtime's
# one-time allocations (metadata caches, the lazily built globals) are still reachable at exit
# and are not reported; should that change, add `leak:` lines for the runtime (never for
# TogglKit) to Tests/Fuzz/lsan.supp, which is passed here.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/Tests/Fuzz/lsan.supp:print_suppressions=0}
# ASan: detect_stack_use_after_return would move frames to a heap "fake stack" and so hide the
# stack exhaustion FuzzModelDecoding looks for on its 512 KiB thread.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=0}

mkdir -p "$FUZZ_BUILD"/corpus "$FUZZ_BUILD"/artifacts "$FUZZ_BUILD"/logs

# Flags of both steps. -parse-as-library: no file has top-level code; libFuzzer provides main().
# The module maps in Sources/CCurl and Sources/CJansson declare the system libraries; the
# pkg-config include flags cover curl/jansson headers outside /usr/include.
# -package-name: TogglKit has `package` declarations (for TogglStore, and StoreRows, which
# FuzzStoreRows checks); a target sees them only with the package name TogglKit was built with.
SWIFT_FLAGS=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -package-name libtoggl
    -I Sources/CCurl -I Sources/CJansson)
for flag in $(pkg-config --cflags-only-I libcurl jansson 2>/dev/null); do SWIFT_FLAGS+=(-Xcc "$flag"); done
# TogglKit, once for every target: whole-module (one type check, optimised across its files, as a
# release build is), -enable-testing for the targets' @testable import. Instrumented for coverage
# and ASan like the targets. -num-threads splits code generation over the cores; it is left out
# of the stamp because it does not change what is compiled (one object per source file either way).
KIT=$FUZZ_BUILD/TogglKit
KIT_FLAGS=(-module-name TogglKit -enable-testing -wmo)
KIT_THREADS=$(nproc 2>/dev/null || echo 2)
# A target: its own module, linked with TogglKit's objects. lld, because ld.gold warns about
# every ASan helper symbol.
TARGET_FLAGS=(-I "$KIT" -use-ld=lld -lcurl -ljansson)

# The TogglKit sources, sorted, in `kit_sources`, and `kit_stamp`, the hash of what TogglKit is
# compiled from: the flags, the sources' names and contents (a hash, so that pointing
# FUZZ_SOURCES at an older tree rebuilds too). Computed once; cheap next to a build.
kit_sources=()
kit_stamp=
kit_hash() {
    [ -z "$kit_stamp" ] || return 0
    mapfile -t kit_sources < <(find "$FUZZ_SOURCES" -name '*.swift' | LC_ALL=C sort)
    [ ${#kit_sources[@]} -gt 0 ] || { echo "fuzz: no Swift sources under $FUZZ_SOURCES" >&2; return 1; }
    kit_stamp=$( { printf '%s\n' "${SWIFT_FLAGS[@]}" "${KIT_FLAGS[@]}" "${kit_sources[@]}"; cat "${kit_sources[@]}"; } \
        | sha256sum | cut -d' ' -f1)
}

# Builds $KIT (objects, TogglKit.swiftmodule) unless its stamp is kit_stamp, and only when a
# target needs building. Tried once per run: after a failure every target that needs it fails at
# once, "BUILD FAILED (TogglKit did not build)", instead of compiling it again.
kit_status=
build_kit() {
    [ -z "$kit_status" ] || return "$kit_status"
    kit_status=1
    kit_hash || return 1
    if [ "$(cat "$KIT/stamp" 2>/dev/null)" = "$kit_stamp" ]; then
        kit_status=0
        return 0
    fi
    echo "fuzz: building $KIT (TogglKit from $FUZZ_SOURCES, for every target)"
    # From scratch, so no object of a source since removed stays; the stamp is written last, so
    # an interrupted or failed build is never taken for a finished one.
    rm -rf "$KIT" && mkdir -p "$KIT" || return 1
    # One object per source file (the output file map names them: numbered, as two folders may
    # hold files of the same name), listed in objects for the targets' link.
    local source i=0 object
    {
        printf '{\n'
        for source in "${kit_sources[@]}"; do
            i=$((i + 1))
            object=$KIT/$(printf %03d "$i")-$(basename "$source" .swift).o
            printf '  "%s": {"object": "%s"},\n' "$(json_escape "$source")" "$(json_escape "$object")"
            printf '%s\n' "$object" >> "$KIT/objects"
        done
        printf '  "": {}\n}\n'
    } > "$KIT/output-file-map.json"
    # Checked explicitly, here and in build: both run under `if !`, where set -e does not stop.
    "$SWIFTC" "${SWIFT_FLAGS[@]}" "${KIT_FLAGS[@]}" -num-threads "$KIT_THREADS" -c "${kit_sources[@]}" \
        -output-file-map "$KIT/output-file-map.json" \
        -emit-module -emit-module-path "$KIT/TogglKit.swiftmodule" || return 1
    echo "$kit_stamp" > "$KIT/stamp"
    kit_status=0
}

# $1 inside a JSON string: backslashes and quotes escaped (source paths hold no control characters).
json_escape() {
    local s=${1//\\/\\\\}
    printf '%s' "${s//\"/\\\"}"
}

build() {
    local target=$1 binary=$FUZZ_BUILD/$1
    [ -f "Tests/Fuzz/$target.swift" ] || { echo "fuzz: unknown target $target (no Tests/Fuzz/$target.swift)" >&2; return 1; }
    kit_hash || return 1
    # Rebuild only when what is compiled changed: TogglKit (its stamp, so a change of its sources
    # relinks every target), the target's flags and the target's file.
    local stamp
    stamp=$( { printf '%s\n' "$kit_stamp" "${SWIFT_FLAGS[@]}" "${TARGET_FLAGS[@]}"; cat "Tests/Fuzz/$target.swift"; } \
        | sha256sum | cut -d' ' -f1)
    if [ -x "$binary" ] && [ "$(cat "$binary.stamp" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    if ! build_kit; then
        build_why=" (TogglKit did not build)"
        echo "fuzz: $target not built: TogglKit did not build (above)" >&2
        return 1
    fi
    echo "fuzz: building $binary"
    local -a objects
    mapfile -t objects < "$KIT/objects"
    "$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name "$target" "${TARGET_FLAGS[@]}" "Tests/Fuzz/$target.swift" \
        "${objects[@]}" -o "$binary.new" || return 1
    mv -f "$binary.new" "$binary" || return 1
    echo "$stamp" > "$binary.stamp"
}

# Seeds: the recorded responses and the hand-written edge cases, never anything generated at random,
# plus Tests/Fuzz/regressions/<target>/: the minimised inputs of past findings (README.md).
seed() {
    local target=$1 dir=$FUZZ_BUILD/corpus/$1
    mkdir -p "$dir"
    if [ -d "Tests/Fuzz/regressions/$target" ]; then
        cp -f "Tests/Fuzz/regressions/$target"/* "$dir"/
    fi
    case $target in
    FuzzJSONValidator)
        cp -f "$FIXTURES"/*.json "$FIXTURES"/edge/*.json "$FIXTURES"/errors/* "$dir"/
        # Both sides of jansson's depth limit (JSON_PARSER_MAX_DEPTH 2048), which mutations of
        # the small fixtures do not reach: a scalar inside 2047 and 2048 containers.
        local depth
        for depth in 2047 2048; do
            { repeat '[' $depth; printf 1; repeat ']' $depth; } > "$dir/depth-array-$depth"
            { repeat '{"a":' $depth; printf 1; repeat '}' $depth; } > "$dir/depth-object-$depth"
        done
        ;;
    FuzzStoreRows)
        # The recorded lists and profiles, which are what a store writes.
        cp -f "$FIXTURES"/*.json "$FIXTURES"/edge/*.json "$dir"/
        ;;
    FuzzModelDecoding)
        # The first byte selects the model type (the order of `decoders` in FuzzModelDecoding.swift).
        local file base selector
        for file in "$FIXTURES"/*.json "$FIXTURES"/edge/*.json; do
            base=$(basename "$file" .json)
            case $base in
            me*) selector=0 ;;
            projects*) selector=1 ;;
            clients*) selector=2 ;;
            tags*) selector=3 ;;
            tasks*) selector=4 ;;
            organizations*) selector=5 ;;
            features*) selector=6 ;;
            location*) selector=7 ;;
            quota*) selector=8 ;;
            workspaces*) selector=9 ;;
            time_entries*) selector=10 ;;
            time_entry*) selector=11 ;;
            *) continue ;;
            esac
            { printf "\\x$(printf %02x "$selector")"; cat "$file"; } > "$dir/$base.seed"
        done
        # Both sides of TogglJSON.maxDepth (64) in a free-form field: User.options nested 62-65 deep.
        local depth
        for depth in 62 63 64 65; do
            { printf '\x00{"options":'; repeat '[' $depth; printf 1; repeat ']' $depth; printf '}'; } > "$dir/depth-options-$depth.seed"
        done
        # The related-data arrays of the full profiles, as the typed arrays they are.
        if command -v python3 >/dev/null; then
            python3 - "$dir" "$FIXTURES/me_with_related_data.json" "$FIXTURES/edge/me_full.json" <<'PY'
import json, os, sys
out = sys.argv[1]
kinds = {"projects": 1, "clients": 2, "tags": 3, "tasks": 4, "workspaces": 9, "time_entries": 10}
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        me = json.load(f)
    for key, selector in kinds.items():
        if isinstance(me.get(key), list) and me[key]:
            name = os.path.basename(path).removesuffix(".json") + "." + key + ".seed"
            with open(os.path.join(out, name), "wb") as f:
                f.write(bytes([selector]) + json.dumps(me[key], indent=1).encode())
PY
        fi
        ;;
    FuzzTimestamp)
        # Every timestamp string in the fixtures, and the hand-written edge cases, one file each.
        local n=0 line
        while IFS= read -r line; do
            [ -n "$line" ] || continue
            n=$((n + 1))
            printf '%s' "$line" > "$dir/ts-$n"
        done < <( { grep -rhoE '"[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][^"]*)?"' "$FIXTURES" | tr -d '"'
                    grep -v '^#' "$SEEDS/timestamps.txt"; } | LC_ALL=C sort -u)
        ;;
    *)
        # Other targets: their regressions (above) and Tests/Fuzz/seeds/<target>/, if any.
        [ -f "Tests/Fuzz/$target.swift" ] || { echo "fuzz: unknown target $target" >&2; return 1; }
        if [ -d "$SEEDS/$target" ]; then cp -f "$SEEDS/$target"/* "$dir"/; fi
        ;;
    esac
}

max_len() {
    case $1 in
    FuzzTimestamp) echo 256 ;;
    *) echo 65536 ;;
    esac
}

# libFuzzer dictionaries: grammar tokens and edge values the mutations would rarely spell out
# (without json.dict, 10 million runs never produced a "\u0000" inside an object key).
dictionary() {
    case $1 in
    FuzzJSONValidator | FuzzModelDecoding | FuzzStoreRows) echo Tests/Fuzz/json.dict ;;
    FuzzTimestamp) echo Tests/Fuzz/timestamp.dict ;;
    *) [ -f "Tests/Fuzz/$1.dict" ] && echo "Tests/Fuzz/$1.dict" ;;
    esac
}

# $1 repeated $2 times.
repeat() {
    local out="" i
    for ((i = 0; i < $2; i++)); do out+=$1; done
    printf '%s' "$out"
}

failed=0
summaries=()
for target in $targets; do
    build_why=
    if ! build "$target" || ! seed "$target"; then
        failed=1
        summaries+=("$(printf 'fuzz: %-18s BUILD FAILED%s' "$target" "$build_why")")
        continue
    fi
    artifacts=$FUZZ_BUILD/artifacts/$target
    log=$FUZZ_BUILD/logs/$target.log
    mkdir -p "$artifacts"
    if [ "$FUZZ_SECONDS" -gt 0 ]; then limit="for ${FUZZ_SECONDS}s"; else limit="without a time limit"; fi
    echo "fuzz: running $target $limit (log: $log)"
    status=0
    dict=$(dictionary "$target" || true)
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    "$FUZZ_BUILD/$target" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=4096 -timeout=10 \
        -max_len="$(max_len "$target")" ${dict:+-dict="$dict"} -print_final_stats=1 \
        -artifact_prefix="$artifacts/" \
        $FUZZ_ARGS "$FUZZ_BUILD/corpus/$target" > "$log" 2>&1 || status=$?
    # The last status line ("#123 DONE cov: 45 ft: 67 corp: ..." or the last pulse before a crash).
    stats=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$execs" ] || execs=$(sed -E -n 's/^#([0-9]+).*/\1/p' <<<"$stats")
    cov=$(sed -E -n 's/.* cov: ([0-9]+).*/\1/p' <<<"$stats")
    ft=$(sed -E -n 's/.* ft: ([0-9]+).*/\1/p' <<<"$stats")
    corpus=$(sed -E -n 's/.* corp: ([0-9]+\/[0-9]+[a-zA-Z]*).*/\1/p' <<<"$stats")
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $status)"
        failed=1
        echo "fuzz: $target found a problem; the end of $log:" >&2
        grep -v -E '^(#[0-9]+|INFO:|    #[0-9]+ 0x)' "$log" | tail -n 40 >&2 || true
        ls -1 "$artifacts" 2>/dev/null | sed "s|^|fuzz: artifact $artifacts/|" >&2 || true
    fi
    summaries+=("$(printf 'fuzz: %-18s %s  execs: %s  cov: %s  ft: %s  corpus: %s' \
        "$target" "$result" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corpus:-?}")")
done

printf '%s\n' "${summaries[@]}"
exit $failed
