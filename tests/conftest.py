from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ksctl.cli import app

REPO = Path(__file__).resolve().parents[1]
# A copy of the national registry as it stood in November 2026, owned by the tests: the
# registry/ that pull requests edit may change in any legitimate way without failing them.
NATIONAL_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "national"
# The registries the tests build cite no sources and date few seats: the rules that ask
# for those (KS437, KS472) are tested by their own cases under cases/, and are off here.
SETTINGS = "version: 1\nrules:\n  KS437: 'off'\n  KS472: 'off'\n"


def build_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root`; return `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr


def append_text(path: Path, text: str) -> None:
    """Add `text` at the end of a registry file (a seat after the last one)."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture
def run_line(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Run `ksctl ARGS...` in-process, in `cwd`, like a shell line; exceptions not caught."""

    def run(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        monkeypatch.delenv("KSCTL_REGISTRY", raising=False)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        result = CliRunner().invoke(
            app, args[1:] if args[:1] == ["ksctl"] else args, catch_exceptions=False
        )
        return Run(result.exit_code, result.stdout, result.stderr)

    yield run


@pytest.fixture(autouse=True)
def _no_user_registry(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    monkeypatch.delenv("KSCTL_REGISTRY", raising=False)
    if "KSCTL_CACHE_DIR" not in os.environ:  # never the user's own cache
        monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("NO_COLOR", "1")
    os.environ.pop("FORCE_COLOR", None)
