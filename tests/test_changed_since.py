"""`validate --changed-since REV`: for each kind of change, what it reports is the full
validation's diagnostics for the affected files, and every diagnostic the change brought or
took away is on an affected file (so a file left out could not have changed). On a small
generated registry of every kind (tests/small_registry.py); random sequences of changes are
tests/test_scope.py's."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import small_registry as small
from conftest import build_tree
from git_repo import edit, make_repo

from ksctl import pipeline
from ksctl.diagnostics import Diagnostic
from ksctl.fast import changed, scope

AT = datetime.date.fromisoformat(small.AT)
GIT = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
SEPSIS = "national/working-groups/akut-vard/sepsis.yaml"


def _made() -> small.Files:
    files = small.make()
    # A dangling seat whose hint names the person it resembles (cecilia).
    files[SEPSIS]["members"].append({"person": "cecila"})
    return files


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return done.stdout.decode()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Diagnostic]]:
    """A repository with the registry committed, and its diagnostics."""
    repo = tmp_path_factory.mktemp("base") / "repo"
    small.write(repo / "registry", _made())
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, *GIT, "add", "-A")
    _git(repo, *GIT, "commit", "-qm", "base")
    return repo, set(pipeline.validate(repo / "registry", AT).diagnostics)


_set = small.setter


def _delete(rel: str) -> Callable[[small.Files], None]:
    return lambda files: files.pop(rel) and None


def _add(rel: str, data: dict[str, Any]) -> Callable[[small.Files], None]:
    return lambda files: files.update({rel: data})


def _drop_seat(rel: str, person: str) -> Callable[[small.Files], None]:
    def change(files: small.Files) -> None:
        seats = files[rel]["members"]
        seats.remove(next(s for s in seats if s.get("person") == person))

    return change


AKUT = "national/programme-areas/akut-vard.yaml"
SODRA_RPO = "healthcare-regions/sodra/programme-areas/akut-vard.yaml"
CHANGES: dict[str, tuple[Callable[[small.Files], None], set[str]]] = {
    # change: (how, files that must be among the affected)
    "settings": (_set("ksctl.yaml", "rules", value={"KS421": "error"}), set()),
    # A ksctl.yaml that fails its schema is read as no settings at all, for every file:
    # its rules and policies no longer hold anywhere, though they read the same.
    "settings that fail their schema": (
        _set("ksctl.yaml", "site", value={"contact": "not an address"}),
        set(),
    ),
    # What of ksctl.yaml concerns only itself (a source) is reported on it alone.
    "a source of the settings": (
        _set(
            "ksctl.yaml",
            "sources",
            value=[{"url": "https://example.se/a", "retrieved": "2999-01-01"}],
        ),
        {"ksctl.yaml"},
    ),
    "delete an RPO": (_delete(SODRA_RPO), {"healthcare-regions/sodra/healthcare-region.yaml"}),
    "delete a seated person": (_delete("regions/skane/people/eva.yaml"), set()),
    "move a person's employer": (
        _set("regions/skane/people/eva.yaml", "employer", value="region:norrbotten"),
        {AKUT},
    ),
    "move a region to another healthcare region": (
        _set("regions/norrbotten/region.yaml", "healthcare_region", value="sodra"),
        {SEPSIS, SODRA_RPO},
    ),
    "a person id twice": (
        _add("regions/jamtland/people/eva.yaml", {"name": "Eva S"}),
        {"regions/skane/people/eva.yaml"},
    ),
    "an area that fails its schema": (
        _set("national/programme-areas/tandvard.yaml", "foo", value="bar"),
        set(),
    ),
    "a seat removed": (
        _drop_seat("healthcare-regions/norra/programme-areas/tandvard.yaml", "jon"),
        {"national/people/jon.yaml"},
    ),
    "an alias that clashes": (
        _set("national/programme-areas/psykisk-halsa.yaml", "aliases", value=["Tandvård"]),
        {"national/programme-areas/tandvard.yaml", AKUT},
    ),
    "a new area": (
        _add(
            "national/programme-areas/cancer.yaml",
            {"name": "Cancer", "hosting": [{"host": "healthcare-region:sodra", "from": "2018"}]},
        ),
        {"regions/skane/region.yaml", "healthcare-regions/norra/healthcare-region.yaml"},
    ),
    "a municipality code changed": (
        _set("regions/skane/region.yaml", "municipalities", 1, "code", value="1299"),
        {"regions/skane/people/fredrik.yaml", AKUT},
    ),
    "a municipality code taken": (
        _set("regions/blekinge/region.yaml", "municipalities", 0, "code", value="1280"),
        {"regions/skane/region.yaml"},
    ),
    "a person a dangling reference resembles is removed": (
        _delete("regions/norrbotten/people/cecilia.yaml"),
        {SEPSIS},
    ),
    "a region's knowledge-support unit": (
        _set("regions/norrbotten/region.yaml", "knowledge_support_unit", value=None),
        {"regions/norrbotten/programme-areas/akut-vard.yaml"},
    ),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_changed_since_is_the_full_run_on_every_file_the_change_can_alter(
    name: str, base: tuple[Path, set[Diagnostic]], tmp_path: Path, run_line
) -> None:
    change, must = CHANGES[name]
    repo = tmp_path / "repo"
    shutil.copytree(base[0], repo)
    files = _made()
    after = small.copied(files)
    change(after)
    small.write(repo / "registry", after, files)
    full = pipeline.validate(repo / "registry", AT).diagnostics
    moved = set(full) ^ base[1]
    assert moved, "the change must alter some diagnostic, or the case tests nothing"
    every = {
        f"registry/{p.relative_to(repo / 'registry').as_posix()}"
        for p in (repo / "registry").rglob("*.yaml")
    }
    found = changed.scopes(repo / "registry", "HEAD", pipeline.validate(repo / "registry", AT))
    keep = every if found is None else {f"registry/{rel}" for rel in scope.union(found)}
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
    # Every diagnostic the change brought, each check's own in the files it looks at again
    # (a file in one check's scope does not bring every other diagnostic of it).
    assert all(d.to_dict() in subset for d in full if d in moved)
    assert all(d.path in keep for d in full if d.to_dict() in subset)
    pick = changed.reported(repo / "registry", "HEAD", pipeline.validate(repo / "registry", AT))
    assert subset == [d.to_dict() for d in full if pick(d)]
    if name in ("settings", "settings that fail their schema"):
        assert found is None  # every file
    else:
        assert len(keep) < len(every) / 2  # not everything: the point of --changed-since


@pytest.fixture
def pr_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def test_changed_since_equals_full_validation_for_those_files(pr_repo: Path, run_line) -> None:
    edit(pr_repo, "regions/orebro/people/karl.yaml", "name: Karl Ek", "name: Karl Ek\ntitel: x")
    (pr_repo / "registry/regions/orebro/people/gustav.yaml").unlink()  # rmks now dangles
    build_tree(pr_repo, {"registry/regions/orebro/people/new.yaml": "name: Ny\nnmae: x\n"})
    r = run_line(["ksctl", "validate", "--changed-since", "HEAD", "-f", "json"], cwd=pr_repo)
    subset = json.loads(r.stdout)["diagnostics"]
    paths = {d["path"] for d in subset}
    assert paths == {
        "registry/regions/orebro/people/karl.yaml",
        "registry/regions/orebro/people/new.yaml",
        "registry/regions/orebro/bodies/rmks.yaml",
        "registry/regions/orebro/region.yaml",  # named by their paths
    }
    import datetime

    full = pipeline.validate(pr_repo / "registry", datetime.date.today()).diagnostics
    assert [d["message"] for d in subset] == [d.message for d in full if d.path in paths]
    assert any("no person with id 'gustav'" in d["message"] for d in subset)


def test_a_new_person_brings_no_other_files_other_diagnostics(tmp_path: Path, run_line) -> None:
    """A person added (an id came) may change what a dangling reference's hint suggests,
    so that reference is checked again; the other diagnostics of its file are not the
    change's (a two-file pull request was annotated in 65 files)."""
    from git_repo import git

    repo = make_repo(tmp_path)
    build_tree(
        repo,
        {
            "registry/regions/orebro/bodies/annat.yaml": (
                "name: Annat råd\ntype: council\nmembers:\n  - {person: nobody}\n"
                "  - {person: karl, from: 2030-01-01, to: 2020-01-01}\n"
            )
        },
    )
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "annat")
    full = run_line(["ksctl", "validate", "-f", "json"], cwd=repo)
    annat = [d for d in json.loads(full.stdout)["diagnostics"] if "annat" in d["path"]]
    assert {d["code"] for d in annat} >= {"KS301", "KS431"}  # a dangling seat, a bad period
    build_tree(repo, {"registry/regions/orebro/people/eva.yaml": "name: Eva Ek\n"})
    edit(
        repo,
        "regions/orebro/bodies/rmks.yaml",
        "  - {person: lena}\n",
        "  - {person: lena}\n  - {person: eva}\n",
    )
    r = run_line(["ksctl", "validate", "--changed-since", "HEAD", "-f", "json"], cwd=repo)
    subset = json.loads(r.stdout)["diagnostics"]
    assert {d["path"] for d in subset} <= {
        "registry/regions/orebro/people/eva.yaml",
        "registry/regions/orebro/bodies/rmks.yaml",
        "registry/regions/orebro/bodies/annat.yaml",
        "registry/regions/orebro/region.yaml",
    }
    assert [d["code"] for d in subset if "annat" in d["path"]] in ([], ["KS301"])
