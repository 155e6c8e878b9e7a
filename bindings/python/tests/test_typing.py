"""The package ships py.typed, so its annotations are a promise to every user's type checker:
`mypy --strict` must pass on it, and a user's typed code must see the real signatures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import toggl

PACKAGE = Path(__file__).resolve().parents[1] / "toggl"

try:
    import mypy  # noqa: F401
except ImportError:
    mypy = None


def run_mypy(tmp_path: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    if mypy is None:
        pytest.skip("mypy is not installed in this environment (pip install mypy)")
    env = dict(os.environ, MYPYPATH=str(PACKAGE.parent))
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(tmp_path / "mypy-cache"), *targets],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)


def test_py_typed_is_shipped():
    assert (PACKAGE / "py.typed").is_file()
    assert (Path(toggl.__file__).parent / "py.typed").is_file()     # in the installed package


def test_mypy_strict_passes_on_the_package(tmp_path):
    result = run_mypy(tmp_path, str(PACKAGE))
    assert result.returncode == 0, result.stdout + result.stderr


USER_CODE = """
from __future__ import annotations
import toggl

def use(c: toggl.Client) -> int | None:
    c.update_me(fullname="New Name", beginning_of_week=1)
    c.logged()
    q = c.last_quota
    try:
        c.me()
    except toggl.RequestTimeoutError as e:
        return e.retry_after
    return None if q is None else q.remaining
"""

WRONG_CODE = """
import toggl

def use(c: toggl.Client) -> None:
    c.update_me(fullname=1)
    c.update_me(nickname="x")
    c.last_quota.remaining
"""


def test_user_code_sees_the_types(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(USER_CODE)
    result = run_mypy(tmp_path, str(good))
    assert result.returncode == 0, result.stdout + result.stderr

    bad = tmp_path / "bad.py"
    bad.write_text(WRONG_CODE)
    result = run_mypy(tmp_path, str(bad))
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert 'bad.py:5: error: Argument "fullname" to "update_me"' in out, out
    assert 'bad.py:6: error: Unexpected keyword argument "nickname"' in out, out
    assert 'bad.py:7: error: Item "None" of "Quota | None" has no attribute "remaining"' in out, out
