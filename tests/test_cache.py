"""The query cache: answers from a warm cache without the heavy imports, and never stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SETTINGS, build_tree

from ksctl import cache

NPO = "registry/national/programme-areas/akut-vard.yaml"
FILES = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/norra/healthcare-region.yaml": (
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
    ),
    "registry/healthcare-regions/vastra/healthcare-region.yaml": (
        "name: Västra\nofficial_name: Västra sjukvårdsregionen\n"
    ),
    NPO: "name: Akut vård\nhosting:\n  - host: healthcare-region:norra\n",
}


@pytest.fixture
def reg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    return build_tree(tmp_path / "repo", FILES)


def _host(run_line, reg: Path, *extra: str) -> str:
    r = run_line(["ksctl", "who-hosts", "akut", "--json", *extra], cwd=reg)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["host"]["id"]


def test_a_warm_query_loads_neither_the_models_nor_ruamel_nor_jinja2(reg: Path) -> None:
    # typer itself imports pydantic (typer._adapters), so pydantic is not in the list: the
    # point is that no entity model is built and no YAML is parsed.
    env = {**os.environ, "KSCTL_CACHE_DIR": str(reg.parent / "cache")}
    probe = (
        "import sys\n"
        "from ksctl.cli import app\n"
        "try:\n    app(['who-hosts', 'akut'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('ksctl.model', 'ksctl.loader', 'ruamel', 'jinja2')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    cold = subprocess.run(
        [sys.executable, "-c", probe], cwd=reg, env=env, text=True, capture_output=True, check=True
    )
    assert cold.stdout.splitlines()[-1] == "['ksctl.loader', 'ksctl.model', 'ruamel']"
    warm = subprocess.run(
        [sys.executable, "-c", probe], cwd=reg, env=env, text=True, capture_output=True, check=True
    )
    assert warm.stdout.splitlines()[0] == "Akut vård (npo:akut-vard)"
    assert warm.stdout.splitlines()[-1] == "[]"


def test_a_changed_file_invalidates_the_cache(reg: Path, run_line) -> None:
    assert _host(run_line, reg) == "norra"
    path = reg / NPO
    path.write_text(path.read_text().replace("norra", "vastr"), encoding="utf-8")  # same size
    assert _host(run_line, reg) == "vastr"  # now dangling, but the answer follows the file
    path.write_text(path.read_text().replace("vastr", "norra"), encoding="utf-8")
    assert _host(run_line, reg) == "norra"


def test_an_edit_keeping_size_is_seen(reg: Path, run_line) -> None:
    assert _host(run_line, reg) == "norra"
    hr = reg / "registry/healthcare-regions/norra/healthcare-region.yaml"
    hr.write_text(hr.read_text().replace("name: Norra", "name: NORRA"), encoding="utf-8")
    r = run_line(["ksctl", "who-hosts", "akut", "--json"], cwd=reg)
    assert json.loads(r.stdout)["host"]["name"] == "NORRA"


def test_added_and_removed_files_invalidate_the_cache(reg: Path, run_line) -> None:
    assert _host(run_line, reg) == "norra"
    extra = reg / "registry/national/programme-areas/tandvard.yaml"
    extra.write_text("name: Tandvård\nhosting:\n  - host: healthcare-region:vastra\n")
    r = run_line(["ksctl", "who-hosts", "tandvård", "--json"], cwd=reg)
    assert json.loads(r.stdout)["host"]["id"] == "vastra"
    extra.unlink()
    r = run_line(["ksctl", "who-hosts", "tandvård", "--json"], cwd=reg)
    assert r.exit_code == 1


@pytest.mark.parametrize("damage", ["garbage", "truncated", "old-format", "empty"])
def test_a_damaged_cache_is_ignored_and_rebuilt(reg: Path, run_line, damage: str) -> None:
    assert _host(run_line, reg) == "norra"
    file = cache.cache_file(reg / "registry")
    text = file.read_text()
    if damage == "garbage":
        file.write_bytes(b"\x00\xffnot json")
    elif damage == "truncated":
        file.write_text(text[: len(text) // 2])
    elif damage == "old-format":
        file.write_text(json.dumps({**json.loads(text), "format": 0}))
    else:
        file.write_text("")
    assert _host(run_line, reg) == "norra"
    assert json.loads(file.read_text())["format"] == cache.FORMAT


def test_no_cache_neither_reads_nor_writes(reg: Path, run_line) -> None:
    assert _host(run_line, reg, "--no-cache") == "norra"
    assert not cache.cache_file(reg / "registry").exists()


def test_the_cache_answers_like_a_fresh_load(reg: Path, run_line) -> None:
    fresh = run_line(["ksctl", "show", "akut", "--json", "--no-cache"], cwd=reg).stdout
    run_line(["ksctl", "show", "akut", "--json"], cwd=reg)
    warm = run_line(["ksctl", "show", "akut", "--json"], cwd=reg).stdout
    assert warm == fresh


def test_validation_is_cached_by_content_and_date(reg: Path, run_line, monkeypatch) -> None:
    (reg / NPO).write_text(
        "name: Akut vård\nnmae: x\nhosting:\n  - host: healthcare-region:norra\n", encoding="utf-8"
    )
    first = run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout
    from ksctl import checks

    def boom(*args: object) -> None:
        raise AssertionError("a warm validation must not load the registry")

    monkeypatch.setattr(checks, "validate", boom)
    assert run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout == first
    with pytest.raises(AssertionError, match="must not load"):
        run_line(["ksctl", "validate", "--at", "2020-01-01"], cwd=reg)  # another date
    with pytest.raises(AssertionError, match="must not load"):
        (reg / NPO).write_text((reg / NPO).read_text().replace("nmae", "name"))
        run_line(["ksctl", "validate"], cwd=reg)
    monkeypatch.undo()
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(reg.parent / "cache"))
    fixed = json.loads(run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout)
    assert fixed["counts"]["error"] == 1  # the duplicate 'name' key now
    (
        cache.cache_file(reg / "registry").with_name(
            cache.cache_file(reg / "registry").stem + "-validate.json"
        )
    ).write_text("{broken")
    again = json.loads(run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout)
    assert again == fixed
    nocache = json.loads(
        run_line(["ksctl", "validate", "-f", "json", "--no-cache"], cwd=reg).stdout
    )
    assert nocache == fixed
