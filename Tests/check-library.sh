#!/usr/bin/env bash
# Checks the shipped artefacts as a packager would: SONAME, exported symbols (exactly the
# header's functions), dependencies (nothing from the Swift toolchain, no Foundation), the
# header under strict C99 and C++17, and a pkg-config build against a `make install` tree that
# reports the version of the VERSION file (toggl.pc, TOGGL_VERSION*, toggl_version*()).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cat VERSION)
IFS=. read -r major minor patch <<<"$version"
version_number=$((10#$major * 1000000 + 10#$minor * 1000 + 10#$patch))
lib=build/lib/libtoggl.so.$version
passed=0 failed=0
check() { # name, command...
    local name=$1; shift
    if "$@" >/tmp/check-library.out 2>&1; then passed=$((passed + 1)); echo "ok $name"
    else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/    /' /tmp/check-library.out; fi
}
soname() { readelf -d "$lib" | grep -q 'SONAME.*\[libtoggl\.so\.0\]'; }
exports_match_header() {
    diff <(nm -D --defined-only "$lib" | awk '{print $NF}' | sort) \
         <(grep -oE '^TOGGL_API [^(]*\btoggl_[a-z_0-9]+\(' include/toggl.h | sed -E 's/.*(toggl_[a-z_0-9]+)\($/\1/' | sort)
}
no_toolchain_deps() {
    ldd "$lib"
    ! ldd "$lib" | grep -Ei 'swift|foundation|/opt/'
    ! readelf -d "$lib" | grep -E 'RPATH|RUNPATH'
}
# What the library links directly, and nothing else: the store brought libsqlite3 and libcrypto
# (SHA-256); libcrypto was already in ldd's list through libcurl, so ldd gains libsqlite3 only.
needed_is_exactly() {
    diff <(readelf -d "$lib" | sed -nE 's/.*NEEDED.*\[(.*)\]/\1/p' | sort) \
         <(printf '%s\n' ld-linux-x86-64.so.2 libc.so.6 libcrypto.so.3 libcurl.so.4 libgcc_s.so.1 libjansson.so.4 \
                          libm.so.6 libsqlite3.so.0 libstdc++.so.6 | sort)
    diff <(ldd "$lib" | awk '{print $1}' | grep -v -e linux-vdso -e '^/' -e ld-linux | sort -u) \
         <( (ldd "$(ldconfig -p | awk '/libcurl.so.4 /{print $NF; exit}')"; \
             ldd "$(ldconfig -p | awk '/libjansson.so.4 /{print $NF; exit}')") | awk '{print $1}' \
             | grep -v -e linux-vdso -e '^/' -e ld-linux \
             | cat - <(printf '%s\n' libcurl.so.4 libjansson.so.4 libsqlite3.so.0 libstdc++.so.6 libgcc_s.so.1 libm.so.6 libc.so.6) \
             | sort -u)
}
no_foundation_in_togglkit() { ! grep -rnE '^\s*(@_exported )?import (Foundation|FoundationEssentials)' Sources/TogglKit Sources/TogglStore Sources/CToggl; }
header_c99() { cc -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -x c include/toggl.h; }
header_cxx() { c++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -x c++ include/toggl.h; }
installed_tree_builds() {
    local root; root=$(mktemp -d)
    make --no-print-directory install DESTDIR="$root" PREFIX=/usr >/dev/null
    local pcdir="$root/usr/lib/pkgconfig"
    # pkg-config --define-prefix is not universal: point it at the DESTDIR tree explicitly.
    sed -i "s|^prefix=/usr|prefix=$root/usr|; s|^libdir=/usr|libdir=$root/usr|; s|^includedir=/usr|includedir=$root/usr|" "$pcdir/toggl.pc"
    test "$(PKG_CONFIG_PATH="$pcdir" pkg-config --modversion toggl)" = "$version"
    # The installed header and library both report VERSION.
    cat > "$root/v.c" <<EOF
#include <toggl.h>
#include <stdio.h>
#include <string.h>
#if TOGGL_VERSION_NUMBER != $version_number
#error "TOGGL_VERSION_NUMBER is not $version_number (VERSION $version)"
#endif
int main(void) {
    printf("%s %d\\n", toggl_version(), toggl_version_number());
    return strcmp(toggl_version(), "$version") != 0 || strcmp(TOGGL_VERSION, "$version") != 0
        || toggl_version_number() != $version_number;
}
EOF
    cc -std=c99 -Wall -Werror "$root/v.c" $(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs toggl) -o "$root/v"
    LD_LIBRARY_PATH="$root/usr/lib" "$root/v"
    test -L "$root/usr/lib/libtoggl.so" && test -L "$root/usr/lib/libtoggl.so.0"
    test -f "$root/usr/lib/libtoggl.so.$version"
    rm -rf "$root"
}
check "SONAME is libtoggl.so.0" soname
check "exports are exactly the header's toggl_* functions" exports_match_header
check "no Swift toolchain, Foundation or RUNPATH in the library's dependencies" no_toolchain_deps
check "links libcurl, jansson, sqlite3 and libcrypto directly; ldd adds only libsqlite3 to libcurl's and jansson's" needed_is_exactly
check "TogglKit, TogglStore and CToggl import no Foundation" no_foundation_in_togglkit
check "toggl.h compiles as strict C99" header_c99
check "toggl.h compiles as C++17" header_cxx
check "make install + pkg-config build and run, all at VERSION $version" installed_tree_builds
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
