"""Hostile and broken input: always a located diagnostic, never a traceback, never unbounded."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SETTINGS, build_tree

from ksctl import loader, yamlio
from ksctl.render.report import text_line

HR = "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
HRF = "registry/healthcare-regions/norra/healthcare-region.yaml"


def _lines(root: Path) -> list[str]:
    return [text_line(d) for d in loader.load(root / "registry").diagnostics]


def test_a_50_mb_file_is_refused_by_the_size_limit_without_parsing(tmp_path: Path) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS, HRF: HR})
    big = tmp_path / "registry/national/people/huge.yaml"
    big.parent.mkdir(parents=True)
    with big.open("wb") as f:
        f.write(b"name: x\nnotes:\n")
        f.write(b"  - aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n" * 800_000)
    assert big.stat().st_size > 50_000_000
    tracemalloc.start()
    lines = _lines(tmp_path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == [
        f"registry/national/people/huge.yaml:1:1: error[KS100] file is {big.stat().st_size:,} "
        "bytes; the limit is 1,048,576 (split it, or raise limits.max_file_bytes in ksctl.yaml)"
    ]
    assert peak < 10_000_000, "the big file must not be read into memory"


def test_the_size_limit_is_a_setting(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": "version: 1\nlimits:\n  max_file_bytes: 2048\n",
            HRF: HR + "notes:\n" + "  - x\n" * 600,
        },
    )
    [line] = _lines(tmp_path)
    assert "error[KS100]" in line and "the limit is 2,048" in line


def test_a_symlink_out_of_the_registry_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.yaml"
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            HRF: HR,
            "outside/secret.yaml": "name: [not, even, valid\n",
            "outside/folder/person.yaml": "name: Hemlig\n",
        },
    )
    people = tmp_path / "registry/national/people"
    people.mkdir(parents=True)
    (people / "leak.yaml").symlink_to(secret)
    (tmp_path / "registry/regions").mkdir()
    (tmp_path / "registry/regions/elsewhere").symlink_to(tmp_path / "outside/folder")
    lines = _lines(tmp_path)
    assert lines == [
        f"registry/national/people/leak.yaml:1:1: error[KS110] symbolic link to outside the "
        f"registry ({secret}); not followed (put the file itself in the registry)",
        f"registry/regions/elsewhere:1:1: error[KS110] symbolic link to outside the registry "
        f"({tmp_path / 'outside/folder'}); not followed (put the folder itself in the registry)",
    ]


def test_a_refused_link_still_claims_its_id(tmp_path: Path) -> None:
    # The link is reported once; the group naming the person is not also told that
    # person:leak does not exist.
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            HRF: HR,
            "outside/secret.yaml": "name: Hemlig\n",
            "registry/national/collaboration-groups/nsg.yaml": (
                "name: NSG\nmembers:\n  - {person: leak, role: chair}\n"
            ),
        },
    )
    people = tmp_path / "registry/national/people"
    people.mkdir(parents=True)
    (people / "leak.yaml").symlink_to(tmp_path / "outside/secret.yaml")
    assert [line.split(" ")[1] for line in _lines(tmp_path)] == ["error[KS110]"]


def test_a_symlink_inside_the_registry_is_read(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            HRF: HR,
            "registry/national/people/a.yaml": "name: A\nnmae: typo\n",
        },
    )
    (tmp_path / "registry/national/people/b.yaml").symlink_to("a.yaml")
    lines = _lines(tmp_path)
    assert [line.split(":")[0] for line in lines] == [
        "registry/national/people/a.yaml",
        "registry/national/people/b.yaml",
    ]


def test_one_bad_file_never_hides_the_others(tmp_path: Path) -> None:
    people = "registry/national/people/"
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            HRF: HR,
            people + "a-syntax.yaml": "name: [x\n",
            people + "b-tab.yaml": "name: x\ntitle:\n\tfoo\n",
            people + "c-bytes.yaml": b"name: \xff\n",
            people + "d-bom.yaml": "\ufeffname: D\n",
            people + "e-empty.yaml": "",
            people + "f-list.yaml": "- x\n",
            people + "g-tag.yaml": "name: !!python/name:os.system x\n",
            people + "h-dup.yaml": "name: a\nname: b\n",
            people + "i-date.yaml": "name: I\nconflict_of_interest:\n  declared: 2024-02-30\n",
            people + "j-key.yaml": "name: J\ntitel: x\n",
            people + "k-ref.yaml": "name: K\nemployer: region:nowhere\n",
        },
    )
    lines = _lines(tmp_path)
    by_file = {line.split(":")[0].rsplit("/", 1)[1]: line for line in lines}
    assert sorted(by_file) == [
        "a-syntax.yaml",
        "b-tab.yaml",
        "c-bytes.yaml",
        "d-bom.yaml",
        "e-empty.yaml",
        "f-list.yaml",
        "g-tag.yaml",
        "h-dup.yaml",
        "i-date.yaml",
        "j-key.yaml",
        "k-ref.yaml",
    ]
    codes = {name: line.split("[")[1].split("]")[0] for name, line in by_file.items()}
    assert codes == {
        "a-syntax.yaml": "KS101",
        "b-tab.yaml": "KS111",
        "c-bytes.yaml": "KS102",
        "d-bom.yaml": "KS103",
        "e-empty.yaml": "KS104",
        "f-list.yaml": "KS105",
        "g-tag.yaml": "KS106",
        "h-dup.yaml": "KS109",
        "i-date.yaml": "KS204",
        "j-key.yaml": "KS201",
        "k-ref.yaml": "KS301",
    }


def test_billion_laughs_is_bounded_in_memory() -> None:
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    tracemalloc.start()
    loaded = yamlio.load(text.encode(), "lol.yaml", max_nodes=10_000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert loaded.data is None
    assert [d.code for d in loaded.diagnostics] == ["KS107"]
    assert "anchors and aliases expand" in loaded.diagnostics[0].message
    assert peak < 20_000_000


def test_small_aliases_are_plain_data() -> None:
    loaded = yamlio.load(b"a: &x {k: v}\nb: *x\n", "ok.yaml")
    assert loaded.diagnostics == []
    assert loaded.data == {"a": {"k": "v"}, "b": {"k": "v"}}


def test_scalars_keep_their_text_and_plain_nulls_are_none() -> None:
    loaded = yamlio.load(b'code: 0114\nq: "null"\nn: null\ne:\nb: yes\nd: 2024-02-30\n', "s.yaml")
    assert loaded.data == {
        "code": "0114",
        "q": "null",
        "n": None,
        "e": None,
        "b": "yes",
        "d": "2024-02-30",
    }


def test_the_fast_parser_locates_exactly_like_ruamel(monkeypatch) -> None:
    """libyaml composes; ruamel is the reference: same data, positions and diagnostics."""
    files = sorted((Path(__file__).parent / "cases").rglob("*.yaml"))
    assert len(files) > 100
    assert yamlio._FAST, "PyYAML is installed without libyaml"

    def paths(value: object, loc: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        found = [loc]
        if isinstance(value, dict):
            for k, v in value.items():
                found += paths(v, (*loc, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                found += paths(v, (*loc, i))
        return found

    def located(path: Path) -> tuple[object, ...]:
        loaded = yamlio.load(path.read_bytes(), path.name)
        where = [
            (loc, loaded.position(loc), loaded.position(loc, key=True))
            for loc in [*paths(loaded.data), ("no such key",), (0,)]
        ]
        return loaded.data, loaded.diagnostics, where

    fast = [located(f) for f in files]
    monkeypatch.setattr(yamlio, "_FAST", False)
    slow = [located(f) for f in files]
    for f, a, b in zip(files, fast, slow, strict=True):
        assert a == b, f


# ------------------------------------------------------------------ what is not a plain file
# Found by fuzzing (issue 13, bug 15): a symbolic link loop ended validate and who-hosts in
# a traceback, and a FIFO or a device named *.yaml hung every command (reading a FIFO waits
# for a writer forever). Only regular files are read; the rest is reported.

SMALL = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/mellansverige/healthcare-region.yaml": (
        "name: Mellansverige\nofficial_name: Sjukvårdsregion Mellansverige\n"
    ),
    "registry/national/programme-areas/akut-vard.yaml": (
        "name: Akut vård\nhosting:\n  - host: healthcare-region:mellansverige\n    from: 2018\n"
    ),
    "registry/national/people/anna.yaml": "name: Anna Ek\n",
}
PEOPLE = "registry/national/people"


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail a test that waits (on a FIFO) instead of hanging the suite: after 30 seconds,
    and every second after that, in case what waits swallows the first."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("waited 30 s: something opened a FIFO")

    before = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 30, 1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def _codes(stdout: str) -> dict[str, str]:
    """file name -> the code of its error, from validate's text lines."""
    return {
        line.split(":")[0].rsplit("/", 1)[1]: line.split("[")[1].split("]")[0]
        for line in stdout.splitlines()
        if " error[" in line
    }


def test_a_symbolic_link_loop_is_reported_not_a_traceback(tmp_path: Path, run_line) -> None:
    build_tree(tmp_path, SMALL)
    people = tmp_path / PEOPLE
    (people / "loop-a.yaml").symlink_to("loop-b.yaml")
    (people / "loop-b.yaml").symlink_to("loop-a.yaml")
    (people / "self.yaml").symlink_to("self.yaml")
    (people / "folder").symlink_to("folder")  # a loop where a folder might be meant
    (people / "gone.yaml").symlink_to("nowhere.yaml")
    for cache in ([], ["--no-cache"], []):  # cold, without the cache, then from it
        r = run_line(["ksctl", "validate", *cache], cwd=tmp_path)
        assert r.exit_code == 1
        lines = [line for line in r.stdout.splitlines() if "KS110" in line]
        assert lines == [
            f"{PEOPLE}/folder:1:1: error[KS110] symbolic link that leads round in a loop "
            "(folder); not followed (remove the link, or put the folder itself in the registry)",
            f"{PEOPLE}/gone.yaml:1:1: error[KS110] symbolic link to nothing (nowhere.yaml does "
            "not exist); not read (put the file itself in the registry)",
            f"{PEOPLE}/loop-a.yaml:1:1: error[KS110] symbolic link that leads round in a loop "
            "(loop-b.yaml); not followed (remove the link, or put the file itself in the "
            "registry)",
            f"{PEOPLE}/loop-b.yaml:1:1: error[KS110] symbolic link that leads round in a loop "
            "(loop-a.yaml); not followed (remove the link, or put the file itself in the "
            "registry)",
            f"{PEOPLE}/self.yaml:1:1: error[KS110] symbolic link that leads round in a loop "
            "(self.yaml); not followed (remove the link, or put the file itself in the "
            "registry)",
        ]
    r = run_line(["ksctl", "who-hosts", "akut"], cwd=tmp_path)
    assert r.exit_code == 0 and "Mellansverige" in r.stdout
    r = run_line(["ksctl", "fmt", "--check", "registry/national"], cwd=tmp_path)
    assert r.exit_code == 0 and "2 files: 0 would be formatted" in r.stderr


def _fifo_and_device(people: Path) -> dict[str, str]:
    """Make them; return the error each must get, by file name."""
    os.mkfifo(people / "pipe.yaml")
    (people / "to-pipe.yaml").symlink_to("pipe.yaml")
    made = {"pipe.yaml": "KS113", "to-pipe.yaml": "KS110"}
    try:  # a character device numbered as /dev/null: never opened, so never read as empty
        os.mknod(people / "device.yaml", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        made["device.yaml"] = "KS113"
    except PermissionError:  # making a device needs root (as CI runs)
        pass
    return made


def test_a_fifo_or_a_device_named_yaml_is_never_opened(
    tmp_path: Path, run_line, no_hang: None
) -> None:
    build_tree(tmp_path, SMALL)
    made = _fifo_and_device(tmp_path / PEOPLE)
    for cache in ([], ["--no-cache"], []):
        r = run_line(["ksctl", "validate", *cache], cwd=tmp_path)
        assert r.exit_code == 1
        assert _codes(r.stdout) == made
    assert (
        f"{PEOPLE}/pipe.yaml:1:1: error[KS113] national/people/pipe.yaml is a FIFO (named pipe), "
        "not a file; not read (remove it; registry files are plain text files)"
    ) in r.stdout
    if "device.yaml" in made:
        assert "national/people/device.yaml is a device, not a file" in r.stdout
    assert "symbolic link to what is not a regular file (pipe.yaml)" in r.stdout
    r = run_line(["ksctl", "who-hosts", "akut"], cwd=tmp_path)
    assert r.exit_code == 0 and "Mellansverige" in r.stdout
    r = run_line(["ksctl", "person", "anna"], cwd=tmp_path)
    assert r.exit_code == 0 and "Anna Ek" in r.stdout
    r = run_line(["ksctl", "export", "--json", str(tmp_path / "out.json")], cwd=tmp_path)
    assert r.exit_code == 0
    r = run_line(["ksctl", "fmt", "--check", "registry/national"], cwd=tmp_path)
    assert r.exit_code == 0 and "2 files: 0 would be formatted" in r.stderr
    r = run_line(["ksctl", "fmt", f"{PEOPLE}/pipe.yaml"], cwd=tmp_path)
    assert r.exit_code == 2 and "is not a file" in r.stderr
    r = run_line(["ksctl", "new", "person", "bo-ek", "--name", "Bo Ek"], cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISFIFO((tmp_path / PEOPLE / "pipe.yaml").lstat().st_mode)


def test_changed_since_never_opens_a_fifo(tmp_path: Path, run_line, no_hang: None) -> None:
    root = build_tree(tmp_path / "repo", SMALL)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(root), *args],
            check=True,
            capture_output=True,
        )
    _fifo_and_device(root / PEOPLE)
    (root / PEOPLE / "anna.yaml").write_text("name: Anna Ek\ntitle: Samordnare\n")
    r = run_line(["ksctl", "validate", "--changed-since", "HEAD"], cwd=root)
    assert r.exit_code == 1  # git lists no FIFO or device as changed; the link, it does
    assert _codes(r.stdout) == {"to-pipe.yaml": "KS110"}
    r = run_line(["ksctl", "diff", "HEAD"], cwd=root)
    assert r.exit_code == 0
