"""Validation after a change checks again only where the change can reach, and says exactly
what a cold run says: one kind of edit per case, on a small generated registry of every
kind (tests/small_registry.py), each compared with a run that reads everything. The same
comparison at 2,000 and 20,000 files is benchmarks/bench_scale.py's; random sequences of
edits are tests/test_scope.py's."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import small_registry as small

# A person with a single seat whose file has a duplicate key: a parse diagnostic that a
# scoped run must keep when it stores new positions for that file.
LONE = "national/people/jon.yaml"
LONE_SEAT = "healthcare-regions/norra/programme-areas/tandvard.yaml"

Edit = Callable[[small.Files], None]


def _made() -> small.Files:
    files = small.make()
    files[LONE] = small.dump(files[LONE]) + "name: Dubbel\n"
    return files


_set = small.setter


def _drop_seat(rel: str, person: str) -> Edit:
    def edit(files: small.Files) -> None:
        seats = files[rel]["members"]
        seats.remove(next(s for s in seats if s.get("person") == person))

    return edit


def _broken(rel: str) -> Edit:
    def edit(files: small.Files) -> None:
        files[rel] = small.dump(files[rel]) + "name: [trasig\n"

    return edit


def _drop_step(rel: str, stage: str) -> Edit:
    def edit(files: small.Files) -> None:
        files[rel]["steps"] = [s for s in files[rel]["steps"] if s["stage"] != stage]

    return edit


AKUT = "national/programme-areas/akut-vard.yaml"
EVA = "regions/skane/people/eva.yaml"
EDITS: dict[str, Edit] = {
    "a person's title": _set(EVA, "title", value="Överläkare, x"),
    "a person's employer": _set(
        "regions/norrbotten/people/bo.yaml", "employer", value="region:skane"
    ),
    "a person's jäv declaration": _set(EVA, "conflict_of_interest", "declared", value=None),
    "a person's jäv assessment": _set(EVA, "conflict_of_interest", "assessed", value="2020-03-01"),
    "a person that no longer parses": _broken(EVA),
    "a seat removed": _drop_seat("regions/skane/programme-areas/akut-vard.yaml", "fredrik"),
    "the only seat of a person (now idle; their file has a parse error)": _drop_seat(
        LONE_SEAT, "jon"
    ),
    "a seat given to nobody known": _set(
        "healthcare-regions/sodra/programme-areas/akut-vard.yaml",
        "members",
        1,
        "person",
        value="qgun",
    ),
    "a second chair": _set(
        "national/working-groups/akut-vard/sepsis.yaml", "members", 1, "role", value="chair"
    ),
    "a mandate long past": _set(
        "regions/skane/working-groups/akut-vard/stroke.yaml",
        "members",
        1,
        value={"person": "eva", "from": "2019-03-01", "mandate_years": 2},
    ),
    "a seat for another healthcare region": _set(
        AKUT, "members", 1, "represents", value="healthcare-region:sodra"
    ),
    "an alias another area is called": _set(AKUT, "aliases", value=["Tandvård"]),
    "SKR hosting without a dormant host": _set(
        AKUT, "hosting", 0, "host", value="organisation:skr"
    ),
    "a handling that skips a stage": _drop_step(
        "regions/skane/handling/vf-sepsis.yaml", "kartlaggning"
    ),
    "a knowledge support owned by another area": _set(
        "national/knowledge-supports/vf-sepsis.yaml", "owner", value="npo:tandvard"
    ),
    "an LPO mirroring another area": _set(
        "regions/blekinge/programme-areas/akut-vard.yaml", "mirrors", value="tandvard"
    ),
    "an LPO's path-named region kept, its name changed": _set(
        "regions/norrbotten/programme-areas/akut-vard.yaml", "name", value="LPO ändrad"
    ),
}


def _validate(root: Path, run_line, *extra: str) -> dict[str, object]:
    r = run_line(["ksctl", "validate", "-f", "json", "--at", small.AT, *extra], cwd=root.parent)
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def _age(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10 * 10**9))


def _edit(root: Path, files: small.Files, name: str) -> small.Files:
    after = small.copied(files)
    EDITS[name](after)
    assert small.write(root, after, files), f"{name}: nothing changed"
    return after


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The registry, validated once (the snapshot), its files older than the snapshot."""
    root = tmp_path / "registry"
    small.write(root, _made())
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    return root


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_change_is_checked_where_it_reaches_and_equals_a_cold_run(
    root: Path, tmp_path: Path, run_line, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    _validate(root, run_line)  # the snapshot
    _age(root)
    _edit(root, _made(), edit)
    from ksctl import pipeline

    def full(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated the whole registry")

    with monkeypatch.context() as m:
        m.setattr(pipeline, "validate", full)
        scoped = _validate(root, run_line)
    cold = _validate(root, run_line, "--no-cache")
    assert scoped == cold
    again = _validate(root, run_line)  # from the snapshot the scoped run wrote
    assert again == cold
    # What the scoped run wrote holds every file's parse as a cold run's snapshot does, so a
    # later run that reuses parses (after a file is added, say) is right too.
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cold-cache"))
    _validate(root, run_line)
    assert _parses(root, tmp_path / "cache") == _parses(root, tmp_path / "cold-cache")


def _parses(root: Path, folder: Path) -> dict[str, object]:
    from ksctl.fast import snapshot as cache

    os.environ["KSCTL_CACHE_DIR"] = str(folder)
    snap = cache.ValidationSnapshot.open(root)
    assert snap is not None
    try:
        return {rel: (snap.read_of(rel) or (None, None))[:2] for rel in snap.manifest()}
    finally:
        snap.close()


def test_a_scoped_run_sees_a_second_change_after_the_first(root: Path, run_line) -> None:
    _validate(root, run_line)
    _age(root)
    files = _made()
    for edit in ("a person's employer", "a seat removed", "a second chair", "a person's title"):
        files = _edit(root, files, edit)
        assert _validate(root, run_line) == _validate(root, run_line, "--no-cache"), edit
