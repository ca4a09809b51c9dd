"""`validate --changed-since REV`: for each kind of change, what it reports is the full
validation's diagnostics for the affected files, and every diagnostic the change brought or
took away is on an affected file (so a file left out could not have changed)."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NATIONAL_FIXTURE, build_tree

from ksctl import pipeline
from ksctl.diagnostics import Diagnostic
from ksctl.fast import changed

AT = datetime.date(2025, 6, 1)
GIT = ["-c", "user.name=t", "-c", "user.email=t@example.org"]

# Added to the bundled registry: seats whose people are employed by regions and
# municipalities, so that composition, jäv and idle-person rules have something to say.
EXTRA = {
    "national/people/p-norr.yaml": "name: P Norr\nemployer: region:norrbotten\n",
    "national/people/p-ore.yaml": "name: P Öre\nemployer: municipality:1880\n",
    "national/people/p-idle.yaml": "name: P Idle\n",
    "national/programme-areas/test-omrade.yaml": (
        "name: Testområde\naliases: [Testet]\nhosting:\n  - host: healthcare-region:norra\n"
        "    from: 2018-01-01\nmembers:\n  - {person: p-norr, role: chair}\n"
        "  - {person: p-ore}\n  - {person: p-idle, from: 2025-01-01, to: 2025-03-01}\n"
    ),
    "national/working-groups/test-omrade/sepsis.yaml": (
        "name: NAG Sepsis\nmembers:\n  - {person: p-norr, role: chair}\n  - {person: p-ore}\n"
        "  - {person: p-nor}\n"  # dangling: its hint names p-norr
    ),
    "healthcare-regions/mellansverige/programme-areas/test-omrade.yaml": (
        "name: RPO Test\nmembers:\n  - {person: p-ore, role: chair}\n"
        "  - {vacant: true, represents: region:uppsala}\n"
    ),
}


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return done.stdout.decode()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Diagnostic]]:
    """A repository with the bundled registry (and EXTRA) committed, and its diagnostics."""
    repo = tmp_path_factory.mktemp("base") / "repo"
    shutil.copytree(NATIONAL_FIXTURE, repo / "registry")
    build_tree(repo / "registry", EXTRA)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, *GIT, "add", "-A")
    _git(repo, *GIT, "commit", "-qm", "base")
    return repo, set(pipeline.validate(repo / "registry", AT).diagnostics)


def _edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def _delete(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


def _add(rel: str, text: str) -> Callable[[Path], None]:
    return lambda root: build_tree(root, {rel: text}) and None


MELLAN_RPO = "healthcare-regions/mellansverige/programme-areas/akut-vard.yaml"
CHANGES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    # change: (how, files that must be among the affected)
    "settings": (_edit("ksctl.yaml", "version: 1\n", "version: 1\nrules: {KS421: error}\n"), set()),
    "delete an RPO": (
        _delete(MELLAN_RPO),
        {"healthcare-regions/mellansverige/healthcare-region.yaml"},
    ),
    "delete a seated person": (_delete("regions/orebro/people/anna-stahl.yaml"), set()),
    "move a person's employer": (
        _edit("national/people/p-norr.yaml", "region:norrbotten", "region:orebro"),
        {"national/programme-areas/test-omrade.yaml"},
    ),
    "move a region to another healthcare region": (
        _edit(
            "regions/norrbotten/region.yaml",
            "healthcare_region: norra",
            "healthcare_region: mellansverige",
        ),
        {"national/working-groups/test-omrade/sepsis.yaml", MELLAN_RPO},
    ),
    "a person id twice": (
        _add("regions/jonkoping/people/anna-stahl.yaml", "name: Anna S\n"),
        {"regions/orebro/people/anna-stahl.yaml"},
    ),
    "an area that fails its schema": (
        _edit("national/programme-areas/test-omrade.yaml", "name:", "foo: bar\nname:"),
        set(),
    ),
    "a seat removed": (
        _edit(
            "national/programme-areas/test-omrade.yaml",
            "  - {person: p-idle, from: 2025-01-01, to: 2025-03-01}\n",
            "",
        ),
        {"national/people/p-idle.yaml"},
    ),
    "an alias that clashes": (
        _edit("national/programme-areas/test-omrade.yaml", "[Testet]", "[Akut vård]"),
        {"national/programme-areas/akut-vard.yaml"},
    ),
    "a new area": (
        _add(
            "national/programme-areas/ny.yaml",
            "name: Nytt\nhosting:\n  - host: healthcare-region:vastra\n    from: 2018-01-01\n",
        ),
        {"regions/orebro/region.yaml", "healthcare-regions/norra/healthcare-region.yaml"},
    ),
    "a municipality code changed": (
        _edit("regions/orebro/region.yaml", "code: '1880'", "code: '1899'"),
        {"national/people/p-ore.yaml", "national/working-groups/test-omrade/sepsis.yaml"},
    ),
    "a municipality code taken": (
        _edit("regions/uppsala/region.yaml", "code: '0360'", "code: '1880'"),
        {"regions/orebro/region.yaml"},
    ),
    "a person a dangling reference resembles is removed": (
        _delete("national/people/p-norr.yaml"),
        {"national/working-groups/test-omrade/sepsis.yaml"},
    ),
    "a region's knowledge-support unit": (
        _edit(
            "regions/orebro/region.yaml",
            "knowledge_support_unit: orebro/kunskapsstodsgruppen\n",
            "",
        ),
        {"regions/orebro/programme-areas/psykisk-halsa.yaml"},
    ),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_changed_since_is_the_full_run_on_every_file_the_change_can_alter(
    name: str, base: tuple[Path, set[Diagnostic]], tmp_path: Path, run_line
) -> None:
    change, must = CHANGES[name]
    repo = tmp_path / "repo"
    shutil.copytree(base[0], repo)
    change(repo / "registry")
    full = pipeline.validate(repo / "registry", AT).diagnostics
    moved = set(full) ^ base[1]
    assert moved, "the change must alter some diagnostic, or the case tests nothing"
    keep = changed.files(repo / "registry", "HEAD", pipeline.validate(repo / "registry", AT))
    assert {d.path for d in moved} <= keep
    assert {f"registry/{p}" for p in must} <= keep
    r = run_line(
        [
            "ksctl",
            "validate",
            "--changed-since",
            "HEAD",
            "--at",
            str(AT),
            "--no-cache",
            "-f",
            "json",
        ],
        cwd=repo,
    )
    subset = json.loads(r.stdout)["diagnostics"]
    assert subset == [d.to_dict() for d in full if d.path in keep]
    every = {
        f"registry/{p.relative_to(repo / 'registry').as_posix()}"
        for p in (repo / "registry").rglob("*.yaml")
    }
    if name == "settings":
        assert keep == every
    else:
        assert len(keep) < len(every) / 2  # not everything: the point of --changed-since
