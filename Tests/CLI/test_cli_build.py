"""The built binary: runs without the Swift toolchain (no libswift*, nothing from /opt in ldd),
and make wrote completion scripts for bash, zsh and fish."""

from __future__ import annotations

import subprocess

from conftest import REPO, TOGGL

COMPLETIONS = REPO / "build" / "completions"


def test_ldd_shows_no_swift_runtime_and_no_toolchain_path() -> None:
    ldd = subprocess.run(["ldd", str(TOGGL)], capture_output=True, text=True, check=True).stdout
    assert "libswift" not in ldd, ldd
    assert "/opt" not in ldd, ldd
    assert "libFoundation" not in ldd, ldd
    readelf = subprocess.run(["readelf", "-d", str(TOGGL)], capture_output=True, text=True, check=True).stdout
    assert "RUNPATH" not in readelf and "RPATH" not in readelf, readelf


def test_completion_scripts_for_bash_zsh_and_fish() -> None:
    for name, marker in (("toggl.bash", "-F _toggl toggl"), ("_toggl", "#compdef toggl"), ("toggl.fish", "complete -c 'toggl'")):
        path = COMPLETIONS / name
        assert path.is_file(), f"{path} missing: run make"
        text = path.read_text()
        assert marker in text, name
        # Sourced, not run: a #! line only earns lintian's bash-completion-with-hashbang.
        assert not text.startswith("#!"), name
        for command in ("projects", "time-entries", "update-me", "status"):
            assert command in text, (name, command)
