"""Validation after a change checks again only where the change can reach, and says exactly
what a cold run says: one kind of edit per case, on a registry made by the benchmark's
generator (national groups, RPOs, LPOs, working groups, handlings, people), each compared
with a run that reads everything."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # the benchmark's own generator, on purpose

AT = "2026-11-23"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(out, 2000, seed=3, errors=0.01)
    settings = out / "registry/ksctl.yaml"
    settings.write_text("version: 1\n", encoding="utf-8")  # every rule on, KS461 too
    root = out / "registry"
    # One person with a single seat gets a duplicate key: a parse diagnostic that a scoped
    # run must keep when it stores new positions for that file.
    person = _lone_person(root)
    path = next(root.glob(f"regions/*/people/{person}.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "name: Dubbel\n", encoding="utf-8")
    (out / "lone.txt").write_text(person, encoding="utf-8")
    return root


def _lone_person(root: Path) -> str:
    seats: dict[str, int] = {}
    for path in sorted(root.rglob("*.yaml")):
        if "/people/" not in path.as_posix():
            for found in re.findall(r"person: (p\d+)", path.read_text(encoding="utf-8")):
                seats[found] = seats.get(found, 0) + 1
    return next(p for p, n in sorted(seats.items()) if n == 1)


def _drop_lone_seat(root: Path) -> None:
    person = (root.parent / "lone.txt").read_text(encoding="utf-8")
    seat = re.compile(rf"  - person: {person}\n(?:    [^\n]*\n)*")
    for path in sorted(root.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if seat.search(text) and "/people/" not in path.as_posix():
            path.write_text(seat.sub("", text, count=1), encoding="utf-8")
            return
    raise AssertionError(person)


def _first(root: Path, pattern: str, contains: str = "") -> Path:
    for path in sorted(root.glob(pattern)):
        if contains in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError(f"no {pattern} with {contains!r}")


def _sub(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _drop_seat(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    seat = re.compile(r"  - person: \w+\n    role: member\n(?:    [^\n]*\n)*")
    path.write_text(seat.sub("", text, count=1), encoding="utf-8")


def _npo_names(root: Path) -> list[str]:
    return [
        re.search(r"^name: (.+)$", p.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
        for p in sorted(root.glob("national/programme-areas/*.yaml"))
    ]


EDITS: dict[str, Callable[[Path], None]] = {
    "a person's title": lambda r: _sub(_first(r, "regions/*/people/*.yaml"), "title: ", "title: x"),
    "a person's employer": lambda r: _sub(
        _first(r, "regions/orebro/people/*.yaml"),
        "employer: region:orebro",
        "employer: region:skane",
    ),
    "a person's jäv declaration": lambda r: _sub(
        _first(r, "regions/*/people/*.yaml"), "  declared: 2019-01-15\n", ""
    ),
    "a person's jäv assessment": lambda r: _sub(
        _first(r, "regions/*/people/*.yaml", "assessed: 2026"), "assessed: 2026", "assessed: 2020"
    ),
    "a person that no longer parses": lambda r: _append(
        _first(r, "regions/*/people/*.yaml"), "name: [trasig\n"
    ),
    "a seat removed": lambda r: _drop_seat(
        _first(r, "regions/*/programme-areas/*.yaml", "role: member")
    ),
    "the only seat of a person (now idle; their file has a parse error)": _drop_lone_seat,
    "a seat given to nobody known": lambda r: _sub(
        _first(r, "healthcare-regions/*/programme-areas/*.yaml"), "person: p", "person: q"
    ),
    "a second chair": lambda r: _sub(
        _first(r, "national/working-groups/*/*.yaml", "role: member"),
        "role: member",
        "role: chair",
    ),
    "a mandate long past": lambda r: _sub(
        _first(r, "regions/*/working-groups/*/*.yaml"), "from: 2025-", "from: 2019-"
    ),
    "a seat for another healthcare region": lambda r: _sub(
        _first(r, "national/programme-areas/*.yaml", "represents: healthcare-region:norra"),
        "represents: healthcare-region:norra",
        "represents: healthcare-region:sodra",
    ),
    "an alias another area is called": lambda r: _append(
        _first(r, "national/programme-areas/*.yaml"), f"aliases: [{_npo_names(r)[-1]}]\n"
    ),
    "SKR hosting without a dormant host": lambda r: _sub(
        _first(r, "national/programme-areas/*.yaml"),
        "host: healthcare-region:",
        "host: organisation:skr\n    notes: [x]  # ",
    ),
    "a handling that skips a stage": lambda r: _sub(
        _first(r, "regions/*/handling/*.yaml", "stage: kartlaggning, date"),
        "  - {stage: kartlaggning, date: 2023-02-01}\n",
        "",
    ),
    "a knowledge support owned by another area": lambda r: _sub(
        _first(r, "national/knowledge-supports/*.yaml"), "owner: npo:", "owner: npo:tandvard #"
    ),
    "an LPO mirroring another area": lambda r: _append(
        _first(r, "regions/blekinge/programme-areas/akut-vard.yaml"), "mirrors: tandvard\n"
    ),
    "an LPO's path-named region kept, its name changed": lambda r: _sub(
        _first(r, "regions/*/programme-areas/*.yaml"), "name: LPO ", "name: LPO ändrad "
    ),
}


def _validate(root: Path, run_line, *extra: str) -> dict[str, object]:
    r = run_line(["ksctl", "validate", "-f", "json", "--at", AT, *extra], cwd=root.parent)
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def _age(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10 * 10**9))


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_change_is_checked_where_it_reaches_and_equals_a_cold_run(
    made: Path, tmp_path: Path, run_line, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    root = tmp_path / "registry"
    shutil.copytree(made, root)
    shutil.copy(made.parent / "lone.txt", tmp_path)
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    _validate(root, run_line)  # the snapshot
    _age(root)
    EDITS[edit](root)
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


def test_a_scoped_run_sees_a_second_change_after_the_first(
    made: Path, tmp_path: Path, run_line, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "registry"
    shutil.copytree(made, root)
    shutil.copy(made.parent / "lone.txt", tmp_path)
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    _validate(root, run_line)
    _age(root)
    for edit in ("a person's employer", "a seat removed", "a second chair", "a person's title"):
        EDITS[edit](root)
        assert _validate(root, run_line) == _validate(root, run_line, "--no-cache"), edit
