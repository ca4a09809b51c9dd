"""A small registry in a git repository with one commit, for the commands that compare
revisions or write beside the registry (diff, codeowners, validate --changed-since)."""

from __future__ import annotations

import subprocess
from pathlib import Path

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


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def make_repo(tmp_path: Path) -> Path:
    """The registry of FILES, committed in a new repository at `tmp_path`/repo."""
    root = build_tree(tmp_path / "repo", FILES)
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return root


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / "registry" / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
