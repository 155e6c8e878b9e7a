#!/usr/bin/env bash
# make check-packages: the packages of build/deb (make deb) installed as a new user would, into a
# clean Debian 12 made with `debootstrap --variant=minbase bookworm`, which has no libcurl, jansson,
# sqlite or python3: apt-get must bring them in from the packages' Depends, or the checks fail.
# Inside it, against a sandbox server on the host's loopback:
#   - a C program using only toggl.h builds with `pkg-config --cflags --libs toggl` and runs;
#   - `import toggl` works with no TOGGL_LIBRARY, from the byte-compiled python3-toggl;
#   - `toggl --version` and `toggl projects --json`;
#   - `pip wheel ./bindings/python` makes a pure-Python wheel; it, and the wheel and the sdist of
#     make wheel (build/python), install and import against the system library;
#   - `apt-get purge` of the four packages leaves no file of theirs, no __pycache__, nothing named
#     *toggl* anywhere on the root's file system.
#
# Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian); PACKAGES_WORK (default
# build/packages-test: the root, a .deb cache that makes a second run faster, the logs).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
version=$(cat VERSION)
work=$top/${PACKAGES_WORK:-build/packages-test}
root=$work/root
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=(libtoggl0 libtoggl-dev toggl python3-toggl)
debs=("build/deb/libtoggl0_${version}_amd64.deb" "build/deb/libtoggl-dev_${version}_amd64.deb"
      "build/deb/toggl_${version}_amd64.deb" "build/deb/python3-toggl_${version}_all.deb")
token=sandbox-api-token-0123456789abcdef

say() { printf 'check-packages: %s\n' "$*"; }
fail() { printf 'check-packages: FAILED: %s\n' "$*" >&2; exit 1; }

# Runs a command in the root with a clean environment: nothing of the host's leaks in.
in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

# Everything on the root's file system but what apt, dpkg and the tests themselves churn.
inventory() {
    (cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./root -o -path ./var/cache \
        -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/log \) -prune -o -print \
        | LC_ALL=C sort)
}

# The checks that talk to the sandbox: run by run-with-sandbox.sh, which exports TOGGL_BASE_URL.
if [ "${1:-}" = --use ]; then
    url=$TOGGL_BASE_URL

    say "C: a program using only toggl.h, built with pkg-config alone"
    cp Tests/Packages/consumer.c "$root/tmp/consumer.c"
    in_root sh -c 'cc -std=c99 -Wall -Wextra -Werror /tmp/consumer.c $(pkg-config --cflags --libs toggl) -o /tmp/consumer' \
        || fail "the C program does not build against the installed libtoggl-dev"
    out=$(in_root /tmp/consumer "$url" /tmp/consumer-store.db) || fail "the C program failed: $out"
    printf '%s\n' "$out" | sed 's/^/  /'
    grep -q '^me: .* with a fullname$' <<<"$out" && grep -q '^store: active projects read$' <<<"$out" \
        || fail "the C program's output is not what the sandbox holds"

    say "Python: import toggl with no environment variable"
    out=$(in_root python3 -c '
import sys, toggl
assert "TOGGL_LIBRARY" not in __import__("os").environ
assert toggl.__file__.startswith("/usr/lib/python3/dist-packages/toggl/"), toggl.__file__
assert toggl.library_path == "libtoggl.so.0", toggl.library_path
me = toggl.Client(sys.argv[1], base_url=sys.argv[2]).me()
print(toggl.__version__, toggl.library_version(), me["fullname"])
' "$token" "$url") || fail "python3-toggl does not work: $out"
    echo "  $out"
    [ "${out%% *}" = "$version" ] || fail "python3-toggl reports version ${out%% *}, not $version"
    ls "$root"/usr/lib/python3/dist-packages/toggl/__pycache__/*.pyc >/dev/null 2>&1 \
        || fail "python3-toggl was not byte-compiled at install"

    say "toggl: --version, projects --json"
    out=$(in_root toggl --version) || fail "toggl --version failed"
    [ "$out" = "$version" ] || fail "toggl --version says $out"
    mkdir -p "$root/tmp/home"
    out=$(in_root env HOME=/tmp/home TOGGL_API_TOKEN="$token" TOGGL_BASE_URL="$url" toggl projects --json) \
        || fail "toggl projects --json failed: $out"
    count=$(python3 -c 'import json, sys; print(len(json.load(sys.stdin)))' <<<"$out") \
        || fail "toggl projects --json did not print JSON"
    [ "$count" -gt 0 ] || fail "toggl projects --json printed no project"
    echo "  $count projects"

    say "pip: the wheel and the sdist against the system library"
    pip=$top/build/venv/bin/pip
    rm -rf "$work/pip-wheel"
    "$pip" wheel --quiet --no-deps --wheel-dir "$work/pip-wheel" ./bindings/python || fail "pip wheel ./bindings/python"
    [ -f "$work/pip-wheel/toggl-$version-py3-none-any.whl" ] \
        || fail "pip wheel made $(ls "$work/pip-wheel"), not a pure-Python wheel"
    for dist in "$work/pip-wheel/toggl-$version-py3-none-any.whl" "build/python/toggl-$version-py3-none-any.whl" \
                "build/python/toggl-$version.tar.gz"; do
        [ -f "$dist" ] || fail "$dist is missing: run make wheel"
        target=/tmp/pip-$(basename "$(dirname "$dist")")-$(basename "$dist")
        "$pip" install --quiet --no-deps --no-compile --target "$root$target" "$dist" || fail "pip install $dist"
        # -S: no site-packages, so it is this copy that imports, not python3-toggl's.
        out=$(in_root python3 -S -c '
import sys
sys.path.insert(0, sys.argv[1])
import toggl
assert toggl.__file__.startswith(sys.argv[1]), toggl.__file__
print(len(toggl.Client(sys.argv[2], base_url=sys.argv[3]).projects()), "projects through", toggl.library_path)
' "$target" "$token" "$url") || fail "$dist does not work: $out"
        echo "  $(basename "$dist"): $out"
    done
    exit 0
fi

for deb in "${debs[@]}"; do [ -f "$deb" ] || fail "$deb is missing: run make deb"; done
for tool in debootstrap chroot unshare; do command -v $tool >/dev/null || fail "$tool is missing (.ci/install-deps packaging)"; done
[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap and chroot)"

# The rest runs in a private mount namespace, so the root's /proc goes away with it, whatever
# happens.
if [ "${1:-}" != --in-namespace ]; then
    exec unshare --mount --propagation private "$0" --in-namespace
fi

start=$SECONDS
say "a clean Debian 12 (debootstrap --variant=minbase bookworm) in $root"
rm -rf "$root"
mkdir -p "$work/debs-cache" "$root"
debootstrap --variant=minbase --cache-dir="$work/debs-cache" bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap (log: $work/debootstrap.log)"; }
mount -t proc proc "$root/proc"
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"
say "  made in $((SECONDS - start)) s"

in_root apt-get update -qq > "$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get update in the root"; }
for lib in libcurl4 libjansson4 libsqlite3-0 libssl3 python3; do
    if in_root dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q 'ok installed'; then
        fail "the clean root already has $lib: it would hide a missing Depends"
    fi
done
inventory > "$work/before.txt"

say "apt-get install ./*.deb"
mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"
in_root sh -c 'apt-get install -y -qq --no-install-recommends /tmp/debs/*.deb' >> "$work/apt.log" 2>&1 \
    || { tail -n 20 "$work/apt.log" >&2; fail "apt-get install of the packages"; }
for lib in libcurl4 libjansson4 libsqlite3-0 libssl3 python3; do
    in_root dpkg-query -W -f='${Status}' "$lib" | grep -q 'ok installed' || fail "$lib was not installed by the Depends"
done
# What a C programmer brings, after the packages: binutils needs libjansson4 too, and would have
# hidden a libtoggl0 without it.
in_root apt-get install -y -qq --no-install-recommends gcc libc6-dev pkgconf >> "$work/apt.log" 2>&1 \
    || { tail -n 20 "$work/apt.log" >&2; fail "installing gcc in the root"; }
for pkg in "${packages[@]}"; do
    printf '  %-14s Depends: %s\n' "$pkg" "$(in_root dpkg-query -W -f='${Depends}' "$pkg")"
done
# One package's Depends can hide another's gap (toggl needs libsqlite3-0 too), so each binary's
# every NEEDED library must belong to a package its own package depends on.
depends_of() { in_root dpkg-query -W -f='${Depends}' "$1" | tr ',' '\n' | sed -E 's/^ *([^ :]+).*/\1/'; }
for pkg in libtoggl0 toggl; do
    while IFS= read -r file; do
        [ -f "$root$file" ] && [ ! -L "$root$file" ] && head -c 4 "$root$file" | grep -q ELF || continue
        for soname in $(readelf -d "$root$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            path=$(in_root ldconfig -p | awk -v so="$soname" '$1 == so && /x86-64/ && !p { p = $NF } END { print p }')
            [ -n "$path" ] || fail "$file needs $soname, which the root does not have"
            # dpkg may own it by the link's name, the target's, or under /lib (merged /usr).
            real=$(in_root readlink -f "$path")
            owner=$(in_root dpkg-query -S "$path" "$real" "${real#/usr}" 2>/dev/null | sed 's/[:,].*//' | head -n 1 || true)
            [ -n "$owner" ] || fail "no package owns $path ($soname, needed by $file)"
            depends_of "$pkg" | grep -qx "$owner" || fail "$file needs $soname from $owner, which $pkg does not depend on"
        done
    done < <(in_root dpkg-query -L "$pkg")
done
depends_of python3-toggl | grep -qx libtoggl0 || fail "python3-toggl does not depend on libtoggl0"
depends_of libtoggl-dev | grep -qx libtoggl0 || fail "libtoggl-dev does not depend on libtoggl0"
in_root dpkg-query -L "${packages[@]}" | grep -vx "/\." | LC_ALL=C sort -u > "$work/files.txt"

Tests/Sandbox/run-with-sandbox.sh "$0" --use

say "apt-get purge"
in_root apt-get purge -y -qq "${packages[@]}" >> "$work/apt.log" 2>&1 || fail "apt-get purge"
in_root apt-get purge -y -qq gcc libc6-dev pkgconf >> "$work/apt.log" 2>&1 || fail "apt-get purge of gcc"
in_root apt-get autoremove --purge -y -qq >> "$work/apt.log" 2>&1 || fail "apt-get autoremove --purge"
left=()
while IFS= read -r path; do
    # Directories other packages share (/usr/lib/python3/dist-packages, …) stay.
    if [ -e "$root$path" ] && ! { [ -d "$root$path" ] && grep -qxF ".$path" "$work/before.txt"; }; then
        left+=("$path")
    fi
done < "$work/files.txt"
[ ${#left[@]} -eq 0 ] || fail "purge left: ${left[*]}"
named=$(cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/cache \) -prune -o -iname '*toggl*' -print)
[ -z "$named" ] || fail "purge left: $named"
inventory > "$work/after.txt"
# What the Depends and gcc brought in, and autoremove took away, must leave the root as it was.
if ! diff -u "$work/before.txt" "$work/after.txt" > "$work/inventory.diff"; then
    head -n 40 "$work/inventory.diff" >&2
    fail "the root differs after purge and autoremove (full diff: $work/inventory.diff)"
fi
say "  $(wc -l < "$work/files.txt") paths installed, none left; the root is as before"
say "passed in $((SECONDS - start)) s"
