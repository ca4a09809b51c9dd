"""`ksctl codeowners`: CODEOWNERS from the maintainers each folder declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from git_repo import HR, edit, make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def test_codeowners_from_declared_maintainers(repo: Path, run_line) -> None:
    assert run_line(["ksctl", "codeowners", "--check"], cwd=repo).exit_code == 1
    assert run_line(["ksctl", "codeowners"], cwd=repo).exit_code == 0
    lines = (repo / ".github/CODEOWNERS").read_text().splitlines()
    assert lines[-4:] == [
        "/registry/ @ks/nationellt",
        "/registry/national/ @ks/nationellt",
        "/registry/healthcare-regions/vastra/ @vgr/kunskapsstyrning",
        "/registry/regions/orebro/ kunskapsstod@example.org",
    ]
    assert run_line(["ksctl", "codeowners", "--check"], cwd=repo).exit_code == 0
    edit(repo, HR.format("vastra"), "@vgr/kunskapsstyrning", "@vgr/ks")
    assert run_line(["ksctl", "codeowners", "--check"], cwd=repo).exit_code == 1
