# libtoggl — the conventional front door of the C library.
#
#   make              build build/lib/libtoggl.so.$(VERSION) (+ links), build/lib/pkgconfig/toggl.pc, examples,
#                     build/bin/toggl (the command-line tool) and its completions in build/completions
#   make test         every test suite: Swift, Swift under TSan and ASan, sandbox, C (valgrind), Python, CLI,
#                     fuzz, and the packages installed into a clean Debian (make check-packages)
#   make demo         print the profile and projects: against the sandbox, or the real API with TOGGL_API_TOKEN
#   make bench        benchmarks (bench/), ratios against baselines measured in the same run
#   make install      PREFIX=/usr/local DESTDIR= : library, links, header, toggl.pc, the toggl command, completions
#   make deb          Debian packages into build/deb (libtoggl0, libtoggl-dev, toggl, python3-toggl)
#   make wheel        the Python binding's sdist and wheel into build/python
#   make clean
#
# Every target installs the Debian packages it needs when they are missing.

# The version is written once, in VERSION; the library's file name and toggl.pc follow it, and
# FactsTests (Swift) fails when the header, TogglVersion or the Python package disagree with it.
VERSION      := $(shell cat VERSION)
$(if $(filter-out 1,$(words $(VERSION))),$(error VERSION must hold one version, e.g. 0.2.0))
SOVERSION    := 0
PREFIX       ?= /usr/local
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
BINDIR       ?= $(PREFIX)/bin
DATADIR      ?= $(PREFIX)/share
BASH_COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
ZSH_COMPLETIONDIR  ?= $(DATADIR)/zsh/site-functions
FISH_COMPLETIONDIR ?= $(DATADIR)/fish/vendor_completions.d
DESTDIR      ?=
PYTHON       ?= python3
CC           ?= cc

BUILD        := build
LIB_REAL     := $(BUILD)/lib/libtoggl.so.$(VERSION)
LIB_SONAME   := libtoggl.so.$(SOVERSION)
SWIFT_RELEASE_DIR := .build/release
VENV         := $(BUILD)/venv
SANDBOX      := Tests/Sandbox/sandbox.py

# The Swift runtime goes inside libtoggl.so so that users need nothing from the toolchain, and an
# unresolved symbol is a link error, not a load error. (The version script that keeps the
# exports to toggl_* is in Package.swift, so debug builds get it too.)
SWIFT_LIB_FLAGS := -c release --product toggl --static-swift-stdlib \
	-Xswiftc -static-stdlib -Xswiftc -no-toolchain-stdlib-rpath \
	-Xlinker -soname=$(LIB_SONAME) -Xlinker -z -Xlinker defs

EXAMPLE_CFLAGS := -std=c99 -Wall -Wextra -Werror -Iinclude
EXAMPLES := $(BUILD)/examples/me $(BUILD)/examples/projects_pager

# The toggl command: the library's compile flags, so that both share one build (only the link
# differs), and the Swift runtime linked in, so that it runs without the toolchain.
CLI := $(BUILD)/bin/toggl
SWIFT_CLI_FLAGS := -c release --product toggl-cli --static-swift-stdlib \
	-Xswiftc -static-stdlib -Xswiftc -no-toolchain-stdlib-rpath -Xlinker -z -Xlinker defs
COMPLETIONS := $(BUILD)/completions

.PHONY: all lib examples bench deps test test-swift check-sanitizers test-sandbox test-library test-c test-python demo install uninstall clean test-fuzz
.PHONY: cli test-cli wheel deb check-packages

all: lib examples cli

deps:
	@.ci/install-deps

lib: deps
	swift build $(SWIFT_LIB_FLAGS)
	@mkdir -p $(BUILD)/lib/pkgconfig
	@# Build beside and rename: a process that has the old library mapped keeps a valid file.
	cp $(SWIFT_RELEASE_DIR)/libtoggl.so $(LIB_REAL).new
	strip --strip-unneeded $(LIB_REAL).new
	patchelf --remove-rpath $(LIB_REAL).new
	mv -f $(LIB_REAL).new $(LIB_REAL)
	ln -sf libtoggl.so.$(VERSION) $(BUILD)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(BUILD)/lib/libtoggl.so
	sed -e 's|@PREFIX@|$(CURDIR)/$(BUILD)|' -e 's|@LIBDIR@|$(CURDIR)/$(BUILD)/lib|' \
	    -e 's|@INCLUDEDIR@|$(CURDIR)/include|' -e 's|@VERSION@|$(VERSION)|' toggl.pc.in > $(BUILD)/lib/pkgconfig/toggl.pc

examples: lib
	@mkdir -p $(BUILD)/examples
	$(CC) $(EXAMPLE_CFLAGS) examples/me.c -L$(BUILD)/lib -ltoggl -ljansson -o $(BUILD)/examples/me
	$(CC) $(EXAMPLE_CFLAGS) examples/projects_pager.c -L$(BUILD)/lib -ltoggl -ljansson -o $(BUILD)/examples/projects_pager

# After lib: the two builds share .build, one at a time.
cli: lib
	swift build $(SWIFT_CLI_FLAGS)
	@mkdir -p $(BUILD)/bin $(COMPLETIONS)
	cp $(SWIFT_RELEASE_DIR)/toggl-cli $(CLI).new
	strip $(CLI).new
	patchelf --remove-rpath $(CLI).new
	mv -f $(CLI).new $(CLI)
	@# bash sources a completion script: argument-parser's #! line does nothing but mislead.
	$(CLI) --generate-completion-script bash | sed '1{/^#!/d}' > $(COMPLETIONS)/toggl.bash
	$(CLI) --generate-completion-script zsh > $(COMPLETIONS)/_toggl
	$(CLI) --generate-completion-script fish > $(COMPLETIONS)/toggl.fish

$(CLI): cli ;

bench: lib
	@mkdir -p $(BUILD)/bench
	$(CC) -std=c99 -O2 -Wall -Wextra -Werror -pthread -Iinclude bench/bench_reuse.c -L$(BUILD)/lib -ltoggl -lcurl \
	    -o $(BUILD)/bench/bench_reuse
	$(CC) -std=c99 -O2 -Wall -Wextra -Werror -Iinclude bench/bench_payload.c -L$(BUILD)/lib -ltoggl -lcurl -ljansson \
	    -o $(BUILD)/bench/bench_payload
	Tests/Sandbox/run-with-sandbox.sh env LD_LIBRARY_PATH=$(BUILD)/lib $(BUILD)/bench/bench_reuse 2000
	Tests/Sandbox/run-with-sandbox.sh env LD_LIBRARY_PATH=$(BUILD)/lib $(BUILD)/bench/bench_payload 100
	@# Typed decoding: TogglKit against Foundation's JSONDecoder and Python's json.loads.
	swift build -c release --scratch-path .build-bench --product TypedDecodeBench
	.build-bench/release/TypedDecodeBench
	@# The local store: snapshot into a file store vs the fetch, reads vs the fetch, size on disk.
	swift build -c release --scratch-path .build-bench --product StoreBench
	Tests/Sandbox/run-with-sandbox.sh .build-bench/release/StoreBench

test: deps test-swift check-sanitizers test-sandbox test-library test-c test-python test-cli test-fuzz check-packages
	@echo "make test: every suite passed"

test-swift: deps
	swift build --build-tests
	swift test --skip-build

# Thread and address sanitizers over the whole Swift suite, each in its own build folder.
check-sanitizers: deps
	swift test --scratch-path .build-tsan --sanitize=thread
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp swift test --scratch-path .build-asan --sanitize=address

test-sandbox: $(VENV)/.ready
	$(VENV)/bin/python -m pytest -q Tests/Sandbox

test-library: lib
	Tests/check-library.sh

test-c: examples
	Tests/C/run.sh $(BUILD)/lib

# The built toggl command against the sandbox (Tests/CLI).
test-cli: cli $(VENV)/.ready
	$(VENV)/bin/python -m pytest -q Tests/CLI

test-python: lib $(VENV)/.ready
	$(VENV)/bin/pip install --quiet --force-reinstall --no-deps ./bindings/python
	TOGGL_LIBRARY=$(CURDIR)/$(BUILD)/lib/$(LIB_SONAME) $(VENV)/bin/python -m pytest -q bindings/python/tests

# --- packages ------------------------------------------------------------------------------------
# make wheel: the Python binding as an sdist and a pure-Python wheel (built from the sdist) in
# build/python. make deb: libtoggl0, libtoggl-dev, toggl and python3-toggl in build/deb, by
# debhelper from packaging/debian over this tree's build, then lintian (an error or a warning not
# overridden in packaging/debian/*.lintian-overrides fails).
# make check-packages: Tests/Packages/check.sh installs them into a clean Debian 12 chroot.
PYDIST := $(BUILD)/python
DEBDIR := $(BUILD)/deb

wheel: $(VENV)/.ready
	rm -rf $(PYDIST) && mkdir -p $(PYDIST)
	$(VENV)/bin/python -m build --outdir $(PYDIST) bindings/python

deb: lib cli
	@.ci/install-deps packaging
	@# The package version is debian/changelog's; it must be VERSION.
	@test "$$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)" = "$(VERSION)" || \
	    { echo "packaging/debian/changelog does not start with version $(VERSION)" >&2; exit 1; }
	rm -rf $(DEBDIR) && mkdir -p $(DEBDIR)/libtoggl-$(VERSION)
	cp -R packaging/debian $(DEBDIR)/libtoggl-$(VERSION)/debian
	cd $(DEBDIR)/libtoggl-$(VERSION) && LIBTOGGL_TOP=$(CURDIR) dpkg-buildpackage -b -us -uc
	lintian --fail-on error,warning --info $(DEBDIR)/libtoggl_$(VERSION)_*.changes

# The Debian packages in a clean chroot, the wheel and the sdist there too, and a SwiftPM package
# that depends on this repository by a tagged git URL.
check-packages: deb
	Tests/Packages/check.sh
	Tests/Consumer/run.sh

# --- fuzzing (Tests/Fuzz) ------------------------------------------------------------------------
# libFuzzer + AddressSanitizer targets over TogglKit, built with swiftc into build/fuzz (never
# .build), seeded from Tests/TogglKitTests/Fixtures. FUZZ_SECONDS per target: 5 for test-fuzz,
# 60 for fuzz; FUZZ_TARGETS picks targets. Crashes go to build/fuzz/artifacts/<target>/.
.PHONY: fuzz

fuzz: deps
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) Tests/Fuzz/run.sh

test-fuzz: deps
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),5) Tests/Fuzz/run.sh
# --- end of fuzzing -------------------------------------------------------------------------------

$(VENV)/.ready:
	@.ci/install-deps
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet pytest mypy build
	@touch $@

demo: examples cli
	@if [ -n "$$TOGGL_API_TOKEN" ]; then \
	    LD_LIBRARY_PATH=$(BUILD)/lib $(BUILD)/examples/me; \
	else \
	    Tests/Sandbox/run-with-sandbox.sh env LD_LIBRARY_PATH=$(BUILD)/lib $(BUILD)/examples/me; \
	fi
	@# A few toggl commands, always against the sandbox (never the real quota).
	Tests/Sandbox/run-with-sandbox.sh examples/toggl-session.sh $(CLI)

install: lib cli
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(BASH_COMPLETIONDIR) $(DESTDIR)$(ZSH_COMPLETIONDIR) \
	    $(DESTDIR)$(FISH_COMPLETIONDIR)
	install -m 0755 $(CLI) $(DESTDIR)$(BINDIR)/toggl
	install -m 0644 $(COMPLETIONS)/toggl.bash $(DESTDIR)$(BASH_COMPLETIONDIR)/toggl
	install -m 0644 $(COMPLETIONS)/_toggl $(DESTDIR)$(ZSH_COMPLETIONDIR)/_toggl
	install -m 0644 $(COMPLETIONS)/toggl.fish $(DESTDIR)$(FISH_COMPLETIONDIR)/toggl.fish
	install -m 0644 $(LIB_REAL) $(DESTDIR)$(LIBDIR)/libtoggl.so.$(VERSION)
	ln -sf libtoggl.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libtoggl.so
	install -m 0644 include/toggl.h $(DESTDIR)$(INCLUDEDIR)/toggl.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' toggl.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/toggl.pc
	chmod 0644 $(DESTDIR)$(LIBDIR)/pkgconfig/toggl.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/toggl $(DESTDIR)$(BASH_COMPLETIONDIR)/toggl \
	      $(DESTDIR)$(ZSH_COMPLETIONDIR)/_toggl $(DESTDIR)$(FISH_COMPLETIONDIR)/toggl.fish
	rm -f $(DESTDIR)$(LIBDIR)/libtoggl.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME) \
	      $(DESTDIR)$(LIBDIR)/libtoggl.so $(DESTDIR)$(INCLUDEDIR)/toggl.h $(DESTDIR)$(LIBDIR)/pkgconfig/toggl.pc

clean:
	rm -rf $(BUILD) .build .build-tsan .build-asan .build-bench
