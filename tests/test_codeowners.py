"""`ksctl codeowners`: CODEOWNERS from the maintainers each folder declares."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import SETTINGS, build_tree

HR = "healthcare-regions/{0}/healthcare-region.yaml"
FILES = {
    "registry/ksctl.yaml": SETTINGS + "maintainers: ['@ks/nationellt']\n",
    "registry/" + HR.format("vastra"): "name: Västra\nofficial_name: Västra sjukvårdsregionen\n"
    "maintainers: ['@vgr/kunskapsstyrning']\n",
    "registry/" + HR.format("mellansverige"): "name: Mellansverige\n"
    "official_name: Sjukvårdsregion Mellansverige\n",
    "registry/regions/orebro/region.yaml": "name: Region Örebro län\ncounty_code: '18'\n"
    "healthcare_region: mellansverige\nmaintainers: [kunskapsstod@example.org]\n",
    "registry/national/organisations/skr.yaml": "name: Sveriges Kommuner och Regioner\n"
    "abbreviation: SKR\ntype: association\n",
    "registry/national/programme-areas/psykisk-halsa.yaml": "name: Psykisk hälsa\nhosting:\n"
    "  - host: organisation:skr\n    dormant_host: vastra\n    from: 2018-01-01\n",
    "registry/national/knowledge-supports/vf-sepsis.yaml": "title: Sepsis\ntype: vardforlopp\n",
    "registry/regions/orebro/bodies/rmks.yaml": "name: Rådet för medicinskt kunskapsstöd\n"
    "type: council\nmembers:\n  - {person: gustav, role: chair}\n  - {person: karl}\n"
    "  - {person: lena}\n",
    "registry/regions/orebro/people/gustav.yaml": "name: Gustav Ekbäck\n",
    "registry/regions/orebro/people/karl.yaml": "name: Karl Ek\n",
    "registry/regions/orebro/people/lena.yaml": "name: Lena Ek\n",
    "registry/regions/orebro/people/anna.yaml": "name: Anna Ståhl\n",
    "registry/regions/orebro/handling/vf-sepsis.yaml": "stage: beslut\ndecision: {by: RMKS}\n",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = build_tree(tmp_path / "repo", FILES)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return root


def _edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / "registry" / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


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
    _edit(repo, HR.format("vastra"), "@vgr/kunskapsstyrning", "@vgr/ks")
    assert run_line(["ksctl", "codeowners", "--check"], cwd=repo).exit_code == 1
