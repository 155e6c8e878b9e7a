"""Failures: one line on stderr, `toggl: …`, saying what happened and what to do, never the token,
and DESIGN.md's exit code."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import List

import pytest

from conftest import (EX_CANTCREAT, EX_INTERRUPTED, EX_IOERR, EX_NOPERM, EX_OK, EX_USAGE, TOGGL, TOKEN, Tenant, Toggl,
                      one_line_error, wait_until)


def token_file(tmp_path: Path, content: str, mode: int) -> Path:
    path = tmp_path / "token"
    path.write_text(content)
    path.chmod(mode)
    return path


def test_no_credentials_says_where_to_get_a_token(toggl: Toggl) -> None:
    for env in ({"TOGGL_API_TOKEN": None}, {"TOGGL_API_TOKEN": ""}):
        result, sent = toggl.counted("projects", env=env)
        assert result.code == EX_NOPERM and sent == 0
        line = one_line_error(result)
        assert "Profile settings" in line and "API Token" in line
        assert "TOGGL_API_TOKEN" in line and "--token-file" in line
        assert result.out == ""


def test_token_file_readable_only_by_its_owner_works(toggl: Toggl, tmp_path: Path) -> None:
    path = token_file(tmp_path, TOKEN + "\n", 0o600)
    result = toggl("logged", "--token-file", str(path), env={"TOGGL_API_TOKEN": "wrong-token"})
    assert result.code == EX_OK, result.err


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_token_file_others_can_read_is_refused(toggl: Toggl, tmp_path: Path, mode: int) -> None:
    path = token_file(tmp_path, TOKEN, mode)
    result, sent = toggl.counted("projects", "--token-file", str(path))
    assert result.code == EX_NOPERM and sent == 0
    line = one_line_error(result)
    assert f"permissions {mode:04o} for '{path}' are too open" in line
    assert "chmod 600" in line
    assert TOKEN not in result.err


def test_empty_or_missing_token_file(toggl: Toggl, tmp_path: Path) -> None:
    empty = token_file(tmp_path, "  \n", 0o600)
    result = toggl("projects", "--token-file", str(empty))
    assert result.code == EX_NOPERM
    assert "is empty" in one_line_error(result)
    missing = tmp_path / "nowhere"
    result = toggl("projects", "--token-file", str(missing))
    assert result.code == EX_NOPERM
    assert str(missing) in one_line_error(result)


def test_a_refused_token_exits_77_and_is_never_printed(toggl: Toggl) -> None:
    bad = "bad-token-0123456789abcdefghij"
    for command in ("projects", "logged", "organizations"):
        result = toggl(command, env={"TOGGL_API_TOKEN": bad})
        assert result.code == EX_NOPERM, (command, result.err)
        line = one_line_error(result)
        assert "refused the API token" in line
        assert bad not in result.err and bad[:8] not in result.err


@pytest.mark.parametrize("url", ["ftp://example.com/api/v9", "not a url", "http://user@127.0.0.1/api/v9"])
def test_a_bad_base_url_is_a_usage_error(toggl: Toggl, url: str) -> None:
    result, sent = toggl.counted("projects", env={"TOGGL_BASE_URL": url})
    assert result.code == EX_USAGE and sent == 0
    assert "TOGGL_BASE_URL" in one_line_error(result)


@pytest.mark.parametrize("args", [
    ["frobnicate"], ["projects", "--bogus"], ["projects", "--json", "--csv"], ["projects", "--max-age", "soon"],
    ["projects", "--refresh", "--offline"], ["projects", "--token", TOKEN], ["update-me"],
    ["update-me", "--beginning-of-week", "7"], ["update-me", "--timezone", "not a/time zone"],
    ["update-me", "--email", "not-an-address"], ["update-me", "--fullname", "   "],
    ["update-me", "--default-workspace-id", "0"],
])
def test_usage_errors_exit_64_with_one_line_and_send_nothing(toggl: Toggl, args: List[str]) -> None:
    result, sent = toggl.counted(*args)
    assert result.code == EX_USAGE, (args, result.err)
    assert sent == 0
    line = one_line_error(result)
    assert line.endswith(f"see 'toggl {args[0]} --help'" if args[0] != "frobnicate" else "see 'toggl --help'"), line
    assert result.out == ""
    assert TOKEN not in result.err


def test_a_server_refusing_an_update_exits_65(toggl: Toggl, tenant: Tenant) -> None:
    result, sent = toggl.counted("update-me", "--default-workspace-id", "12345")
    assert sent == 1
    assert result.code == 65
    assert "Invalid default_workspace_id" in one_line_error(result)


def test_a_store_that_is_not_a_store_exits_73(toggl: Toggl, tmp_path: Path) -> None:
    toggl.store.write_bytes(b"this is not a database, and it must stay as it is\n" * 100)
    before = toggl.store.read_bytes()
    result, sent = toggl.counted("projects")
    assert result.code == EX_CANTCREAT and sent == 0
    assert str(toggl.store) in one_line_error(result)
    assert toggl.store.read_bytes() == before


def test_a_cache_folder_that_cannot_be_made_exits_73(toggl: Toggl, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = toggl("projects", env={"TOGGL_STORE": None, "XDG_CACHE_HOME": str(blocker / "cache")})
    assert result.code == EX_CANTCREAT
    assert "TOGGL_STORE" in one_line_error(result)


def test_ctrl_c_cancels_the_request_and_exits_130(toggl: Toggl, tenant: Tenant) -> None:
    tenant.faults({"path": "/me", "method": "GET", "action": "stall", "stall_ms": 20000})
    proc = subprocess.Popen([str(TOGGL), "projects"], env=toggl.environment(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: tenant.count() >= 1, "the snapshot request to reach the sandbox")
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
        # Far below the 20 s stall (so the request was ended, not waited out), with room for a
        # loaded CI machine.
        assert time.monotonic() - sent < 10.0, "a cancel ends the stalled request, not waits it out"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == EX_INTERRUPTED
    assert err.decode().splitlines() == ["toggl: cancelled"]
    assert out == b""
    # Nothing half-written: the next run takes the snapshot as if none had started (the stall
    # was used up by the cancelled request).
    result, sent = toggl.counted("projects")
    assert result.code == EX_OK and sent == 1


def test_help_has_an_example_on_every_command(toggl: Toggl) -> None:
    commands = ["me", "projects", "clients", "tags", "tasks", "workspaces", "time-entries", "organizations",
                "features", "location", "quota", "logged", "update-me", "sync", "status"]
    root = toggl("--help")
    assert root.code == EX_OK
    for command in commands:
        assert f"  {command} " in root.out, command
        result = toggl(command, "--help")
        assert result.code == EX_OK, command
        assert "Examples:" in result.out and f"toggl {command}" in result.out, command
        assert result.err == ""


def test_version_is_the_librarys(toggl: Toggl) -> None:
    version = (Path(__file__).resolve().parents[2] / "VERSION").read_text().strip()
    result = toggl("--version")
    assert (result.code, result.out.strip()) == (EX_OK, version)


def test_no_token_option_exists(toggl: Toggl) -> None:
    """A token on the command line is visible to every user through ps: no option takes one."""
    for command in ("projects", "sync", "update-me"):
        text = toggl(command, "--help").out
        assert "--token " not in text and "--api-token" not in text


def test_a_fifo_as_token_file_is_refused_at_once(toggl: Toggl, tmp_path: Path) -> None:
    fifo = tmp_path / "token-fifo"
    os.mkfifo(fifo, 0o600)
    # Without a writer, a blocking open would wait forever.
    before = toggl.tenant.count()
    result = toggl("projects", "--token-file", str(fifo), timeout=20)
    assert result.code == EX_NOPERM and toggl.tenant.count() == before
    assert "not a regular file" in one_line_error(result)


def test_a_byte_order_mark_before_the_token_is_ignored(toggl: Toggl, tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_bytes(b"\xef\xbb\xbf" + TOKEN.encode() + b"\r\n")
    path.chmod(0o600)
    result = toggl("logged", "--token-file", str(path), env={"TOGGL_API_TOKEN": "wrong-token"})
    assert result.code == EX_OK, result.err


def test_a_token_file_over_64_kib_is_refused_not_cut(toggl: Toggl, tmp_path: Path) -> None:
    path = token_file(tmp_path, "x" * (64 * 1024 + 1), 0o600)
    result, sent = toggl.counted("projects", "--token-file", str(path))
    assert result.code == EX_NOPERM and sent == 0
    line = one_line_error(result)
    assert "64 KiB" in line and "x" * 20 not in line
    # 64 KiB exactly is read whole (and then refused by the server, as any wrong token).
    at_limit = token_file(tmp_path, "x" * (64 * 1024), 0o600)
    assert "64 KiB" not in toggl("projects", "--token-file", str(at_limit)).err


@pytest.mark.parametrize("args", [["projects", "--offline"], ["projects", "--offline", "--csv"],
                                  ["projects", "--offline", "--json"], ["status"], ["--help"],
                                  ["projects", "--help"], ["--version"],
                                  ["--generate-completion-script", "bash"]])
def test_output_that_cannot_be_written_exits_74(toggl: Toggl, args: List[str]) -> None:
    assert toggl("projects").code == EX_OK          # the store has the projects
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([str(TOGGL), *args], env=toggl.environment(), stdin=subprocess.DEVNULL,
                              stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == EX_IOERR, proc.stderr
    assert proc.stderr.decode() == "toggl: cannot write the output: No space left on device\n"


def test_a_reader_that_goes_away_ends_the_tool_quietly(toggl: Toggl) -> None:
    # `toggl projects | head -n 1`: SIGPIPE ends the process, as for other Unix tools.
    assert toggl("projects").code == EX_OK
    proc = subprocess.Popen([str(TOGGL), "projects", "--offline"], env=toggl.environment(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGPIPE and err == b""
    # With SIGPIPE ignored by the parent, the broken pipe is a write error like any other.
    ignoring = subprocess.Popen([str(TOGGL), "projects", "--offline"], env=toggl.environment(),
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
    assert ignoring.stdout is not None
    ignoring.stdout.close()
    _, err = ignoring.communicate(timeout=60)
    assert ignoring.returncode == EX_IOERR
    assert err.decode() == "toggl: cannot write the output: Broken pipe\n"
