"""What reaches a terminal and what reaches a pipe: no escape code ever in a pipe or a file;
on a pseudo-terminal, tables fit its width (long names cut with "…", no line longer), colour
unless NO_COLOR, and a progress line on stderr while a sync runs."""

from __future__ import annotations

import pytest

import csv
import io
import re

from conftest import EX_OK, EX_TEMPFAIL, EX_USAGE, Tenant, Toggl, at_column, display_width, visible

EVERY_COMMAND = [
    ["me"], ["projects"], ["clients"], ["tags"], ["tasks"], ["workspaces"], ["time-entries"],
    ["organizations"], ["features"], ["location"], ["quota"], ["logged"], ["sync"], ["status"],
    ["update-me", "--fullname", "Piped User"], ["projects", "--csv"], ["projects", "--json"],
    ["projects", "--offline"], ["frobnicate"], ["projects", "--bogus"],
]


def test_no_escape_codes_when_not_a_terminal(toggl: Toggl, tenant: Tenant) -> None:
    # A project name carrying an escape sequence must not reach the output either.
    tenant.changes({"op": "add", "collection": "projects", "fields": {"name": "evil \u001b[31mred\u001b[0m"}})
    for args in EVERY_COMMAND:
        result = toggl(*args)
        assert "\x1b" not in result.out and "\x1b" not in result.err, (args, result.out[:200], result.err)
    # Even with a spent quota (the warning path).
    tenant.config(quota_limit=0)
    spent = toggl("projects", "--refresh")
    assert spent.code == EX_TEMPFAIL
    assert "\x1b" not in spent.out + spent.err


@pytest.mark.parametrize("columns", [60, 100])
def test_table_fits_the_terminal_width(toggl: Toggl, tenant: Tenant, columns: int) -> None:
    tenant.changes({"op": "add", "collection": "projects",
                    "fields": {"name": "A project whose name is far too long for any terminal: " + "x" * 200}})
    result = toggl.in_pty("projects", columns=columns, stderr_tty=False)
    assert result.code == EX_OK, result.err
    lines = [visible(line) for line in result.out.split("\n") if line.strip("\r")]
    assert len(lines) > 1000
    assert all(display_width(line) <= columns for line in lines), max(lines, key=display_width)
    assert any(line.rstrip().endswith("…") or "… " in line for line in lines), "a long name is cut with …"
    assert any("A project wh" in line for line in lines)
    # Aligned: every row has its workspace id where the header has WORKSPACE.
    start = display_width(lines[0][:lines[0].index("WORKSPACE")])
    for line in lines[1:]:
        assert at_column(line, start)[:1].isdigit() and at_column(line, start - 1)[:1] == " ", line


def test_colour_on_a_terminal_and_never_with_no_color(toggl: Toggl) -> None:
    coloured = toggl.in_pty("projects", stderr_tty=False)
    assert coloured.code == EX_OK
    assert "\x1b[1m" in coloured.out                    # a bold header
    plain = toggl.in_pty("projects", env={"NO_COLOR": "1"})
    assert plain.code == EX_OK
    assert "\x1b" not in plain.out and "\x1b" not in plain.err
    assert visible(plain.out.split("\n")[0]).startswith("ID")


def test_a_long_sync_shows_a_progress_line_on_a_terminal(toggl: Toggl) -> None:
    # No stall needed: the line is printed before the first request, however fast the answer.
    result = toggl.in_pty("projects", stdout_tty=False, env={"NO_COLOR": "1"})
    assert result.code == EX_OK, result.err
    assert "toggl: syncing…" in result.err
    # Cleared afterwards: the line is overwritten with spaces, and nothing is left but blanks.
    assert result.err.split("\r")[-1].strip() == "", repr(result.err)
    assert "\x1b" not in result.err
    assert result.out.splitlines()[0].startswith("ID")


def test_no_progress_line_when_stderr_is_not_a_terminal(toggl: Toggl) -> None:
    result = toggl("projects")
    assert result.code == EX_OK
    assert result.err == ""


def test_a_pipe_gets_whole_names(toggl: Toggl, tenant: Tenant) -> None:
    long_name = "Long " + "y" * 300
    tenant.changes({"op": "add", "collection": "projects", "fields": {"name": long_name}})
    assert long_name in toggl("projects").out


def table_lines(out: str) -> list:
    return [visible(line) for line in out.split("\n") if line.strip("\r")]


def test_ids_stay_whole_on_a_narrow_terminal(toggl: Toggl, tenant: Tenant) -> None:
    tenant.changes({"op": "add", "collection": "projects", "fields": {"name": "A rather long project name " * 3}})
    rows = list(csv.DictReader(io.StringIO(toggl("projects", "--csv").out, newline="")))
    result = toggl.in_pty("projects", columns=40, stderr_tty=False)
    assert result.code == EX_OK, result.err
    lines = table_lines(result.out)
    assert all(display_width(line) <= 40 for line in lines), max(lines, key=display_width)
    assert len(lines) == len(rows) + 1
    header = lines[0].split()
    assert header[0] == "ID" and "WORKSPACE" in header, lines[0]
    for row, line in zip(rows, lines[1:]):
        # The id and the workspace id whole, never "2…"; columns that do not fit are left out.
        assert line.split()[0] == row["id"], line
        assert re.search(rf"(^| ){row['workspace_id']}( |$)", line), line
    assert not any(re.search(r"\d…", line) for line in lines), [line for line in lines if re.search(r"\d…", line)]


WIDE_NAMES = ["⚡✅❌⌚☔⚽⛄⭐ weather", "🇩🇪🇯🇵🇺🇸 flags", "🀄🃏🆎🈁🟠🟢 tiles", "❤️ love ✔️", "👩‍💻 dev team",
              "Café crème e\u0301\u0301", "漢字の名前プロジェクト", "zero\u200bwidth"]


@pytest.mark.parametrize("columns", [60, 100])
def test_wide_and_emoji_names_fit_and_align(toggl: Toggl, tenant: Tenant, columns: int) -> None:
    for name in WIDE_NAMES:
        tenant.changes({"op": "add", "collection": "projects", "fields": {"name": name * 2}})
    result = toggl.in_pty("projects", columns=columns, stderr_tty=False, env={"NO_COLOR": "1"})
    assert result.code == EX_OK, result.err
    lines = table_lines(result.out)
    assert all(display_width(line) <= columns for line in lines), max(lines, key=display_width)
    assert any("⚡✅" in line for line in lines) and any("🇩🇪" in line for line in lines)
    # Aligned: the workspace id starts where the header's WORKSPACE does, on every row.
    start = display_width(lines[0][:lines[0].index("WORKSPACE")])
    for line in lines[1:]:
        match = re.search(r"(\d+)  +(yes|no)$", line)
        assert match and display_width(line[:match.start(1)]) == start, line


BIDI_AND_C1 = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u0085\u009b"


def test_bidi_and_c1_controls_never_reach_a_terminal(toggl: Toggl, tenant: Tenant) -> None:
    name = f"abc{BIDI_AND_C1}def"
    tenant.changes({"op": "add", "collection": "projects", "fields": {"name": name}})
    for args in (["projects"], ["projects", "--csv"]):
        shown = toggl.in_pty(*args, stderr_tty=False, columns=200)
        assert shown.code == EX_OK, shown.err
        assert not any(char in shown.out for char in BIDI_AND_C1), (args, shown.out)
        assert "abc" + "\ufffd" * len(BIDI_AND_C1) + "def" in shown.out, args
    # A table in a pipe is for reading too; CSV in a pipe is data and keeps the name as it is.
    piped = toggl("projects")
    assert not any(char in piped.out for char in BIDI_AND_C1)
    assert name in toggl("projects", "--csv").out
    # An error message that quotes a value is one clean line too.
    bad = toggl("projects", "--max-age", f"x{BIDI_AND_C1}y")
    assert bad.code == EX_USAGE
    assert not any(char in bad.err for char in BIDI_AND_C1), repr(bad.err)
