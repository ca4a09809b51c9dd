"""The query cache: answers from a warm cache without the heavy imports, and never stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NATIONAL_FIXTURE, SETTINGS, build_tree

from ksctl.fast import snapshot as cache

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
    # No entity model is built, no YAML parsed, and pydantic is not even imported.
    env = {**os.environ, "KSCTL_CACHE_DIR": str(reg.parent / "cache")}
    probe = (
        "import sys\n"
        "from ksctl.cli import app\n"
        "try:\n    app(['who-hosts', 'akut'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('ksctl.model', 'ksctl.loader', 'pydantic', 'ruamel', 'jinja2')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    cold = subprocess.run(
        [sys.executable, "-c", probe], cwd=reg, env=env, text=True, capture_output=True, check=True
    )
    # A cold query builds the models; libyaml parses valid files, so ruamel (the fallback
    # that words a syntax error) is not loaded either.
    assert cold.stdout.splitlines()[-1] == "['ksctl.loader', 'ksctl.model', 'pydantic']"
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


def _damage(file: Path, how: str) -> None:
    raw = file.read_bytes()
    if how == "garbage":
        file.write_bytes(b"\x00\xffnot a snapshot")
    elif how == "truncated":
        file.write_bytes(raw[: len(raw) // 2])
    elif how == "old-format":
        file.write_bytes(raw[:5] + bytes([raw[5] - 1]) + raw[6:])
    elif how == "flipped-byte":  # inside a section: caught by its checksum
        file.write_bytes(raw[:-3] + bytes([raw[-3] ^ 0xFF]) + raw[-2:])
    elif how == "reshaped":  # this format's stamp, but parts of another shape
        snap = cache._Snapshot(file)
        meta = {**snap.meta, "dirs": {"": 0}, "kinds": ["npo"], "at": 5, "settings": 1}
        snap.close()
        cache._write(file, meta, {"manifest": [], "files:npo": "x"})
    else:
        file.write_bytes(b"")


DAMAGE = ["garbage", "truncated", "old-format", "flipped-byte", "reshaped", "empty"]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_query_snapshot_is_ignored_and_rebuilt(reg: Path, run_line, damage: str) -> None:
    assert _host(run_line, reg) == "norra"
    file = cache.query_file(reg / "registry")
    good = file.read_bytes()
    _damage(file, damage)
    assert _host(run_line, reg) == "norra"
    assert file.read_bytes()[:8] == good[:8]  # rewritten in the current format
    assert _host(run_line, reg) == "norra"


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_validation_snapshot_is_ignored_and_rebuilt(
    reg: Path, run_line, damage: str
) -> None:
    (reg / NPO).write_text((reg / NPO).read_text() + "nmae: x\n", encoding="utf-8")
    first = run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout
    file = cache.validation_file(reg / "registry")
    _damage(file, damage)
    assert run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout == first
    assert run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout == first


@pytest.mark.parametrize("where", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_a_byte_flipped_anywhere_in_a_snapshot_is_caught(reg: Path, run_line, where: float) -> None:
    # Whichever section the byte falls in, a query that reads it loads afresh instead.
    expected = run_line(["ksctl", "show", "akut", "--json", "--no-cache"], cwd=reg).stdout
    run_line(["ksctl", "stats"], cwd=reg)
    file = cache.query_file(reg / "registry")
    raw = bytearray(file.read_bytes())
    raw[int(len(raw) * where)] ^= 0x55
    file.write_bytes(bytes(raw))
    for _ in range(2):
        r = run_line(["ksctl", "show", "akut", "--json"], cwd=reg)
        assert r.exit_code == 0 and r.stdout == expected
        assert run_line(["ksctl", "stats"], cwd=reg).exit_code == 0


def test_no_cache_neither_reads_nor_writes(reg: Path, run_line) -> None:
    assert _host(run_line, reg, "--no-cache") == "norra"
    assert run_line(["ksctl", "validate", "--no-cache"], cwd=reg).exit_code == 0
    assert not cache.query_file(reg / "registry").exists()
    assert not cache.validation_file(reg / "registry").exists()


def _no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    from ksctl import loader

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("answered by loading the registry")

    monkeypatch.setattr(loader, "load", boom)


def _age(reg: Path, seconds: int = 10) -> None:
    """Backdate every file and folder, as if written long before the snapshot: the
    two-second window in which a stat is not trusted is then past."""
    for path in [reg / "registry", *(reg / "registry").rglob("*")]:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9), follow_symlinks=False)


def test_an_answer_is_checked_against_only_the_files_it_read(
    reg: Path, run_line, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = reg / "registry/national/people/anna.yaml"
    person.parent.mkdir(parents=True)
    person.write_text("name: Anna\n", encoding="utf-8")
    _age(reg)
    assert _host(run_line, reg) == "norra"  # writes the snapshot
    st = person.stat()
    person.write_text("name: Anna Ståhl\n", encoding="utf-8")  # in place: no folder changes
    os.utime(person, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    with monkeypatch.context() as m:
        _no_loading(m)
        assert _host(run_line, reg) == "norra"  # who-hosts never read the person
        with pytest.raises(AssertionError, match="by loading"):
            run_line(["ksctl", "person", "anna", "--json"], cwd=reg)
    r = run_line(["ksctl", "person", "anna", "--json"], cwd=reg)
    assert json.loads(r.stdout)["person"]["name"] == "Anna Ståhl"


def test_a_racy_file_is_compared_by_content(reg: Path, run_line, monkeypatch) -> None:
    # Written just before the snapshot (the clock held a second after, however slow the
    # machine), so its stat is not trusted: same size, same mtime, other content.
    written = _at_one_time(reg)
    _clock(monkeypatch, written + SECOND)
    assert _host(run_line, reg) == "norra"
    path = reg / NPO
    st = path.stat()
    path.write_text(path.read_text().replace("norra", "vastr"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert _host(run_line, reg) == "vastr"


def test_the_note_counts_only_errors_in_the_files_an_answer_read(reg: Path, run_line) -> None:
    broken = reg / "registry/national/people/trasig.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("name: [trasig\n", encoding="utf-8")
    for _ in range(2):  # from a fresh load, then from the snapshot
        r = run_line(["ksctl", "who-hosts", "akut"], cwd=reg)
        assert r.exit_code == 0 and "note" not in r.stderr
    (reg / NPO).write_text((reg / NPO).read_text() + "nmae: x\n", encoding="utf-8")
    for _ in range(2):
        r = run_line(["ksctl", "who-hosts", "akut"], cwd=reg)
        assert "note: 1 error in the files this answer draws on" in r.stderr
    r = run_line(["ksctl", "list", "person"], cwd=reg)
    assert "note: 1 error" in r.stderr  # the person's, not the area's
    r = run_line(["ksctl", "stats"], cwd=reg)
    assert "note: 2 errors" in r.stderr  # stats reads everything


def test_concurrent_runs_share_the_cache_safely(reg: Path) -> None:
    env = {**os.environ, "KSCTL_CACHE_DIR": str(reg.parent / "cache")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "ksctl", *args],
            cwd=reg,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in [["who-hosts", "akut", "--json"], ["validate", "-f", "json"]] * 4
    ]
    outputs = [r.communicate()[0] for r in runs]
    assert all(r.returncode == 0 for r in runs)
    assert {json.loads(o)["host"]["id"] for o in outputs[::2]} == {"norra"}
    assert len(set(outputs[1::2])) == 1
    leftovers = [f.name for f in (reg.parent / "cache").iterdir() if f.name.startswith(".tmp")]
    assert leftovers == []


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
    from ksctl import pipeline

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm validation must not load the registry")

    monkeypatch.setattr(pipeline, "validate", boom)
    (reg / NPO).touch()  # a new time, the same content: still unchanged
    assert run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout == first
    with pytest.raises(AssertionError, match="must not load"):
        run_line(["ksctl", "validate", "--at", "2020-01-01"], cwd=reg)  # another date
    # A changed area is checked again where the change reaches, still without a full load.
    (reg / NPO).write_text((reg / NPO).read_text().replace("nmae", "name"))
    fixed = json.loads(run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout)
    assert fixed["counts"]["error"] == 1  # the duplicate 'name' key now
    monkeypatch.undo()
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(reg.parent / "cache"))
    cache.validation_file(reg / "registry").write_text("{broken")
    again = json.loads(run_line(["ksctl", "validate", "-f", "json"], cwd=reg).stdout)
    assert again == fixed
    nocache = json.loads(
        run_line(["ksctl", "validate", "-f", "json", "--no-cache"], cwd=reg).stdout
    )
    assert nocache == fixed


def _edit(root: Path, how: str) -> set[str]:
    """Change the copied national registry in one way; the files that must be parsed again."""
    rmks = root / "regions/orebro/bodies/rmks.yaml"
    person = root / "regions/orebro/people/anna-stahl.yaml"
    if how == "content":
        person.write_text(person.read_text().replace("Samordnare", "Samordnare nu"), "utf-8")
        return {"regions/orebro/people/anna-stahl.yaml"}
    if how == "syntax":
        rmks.write_text(rmks.read_text() + "members: [oavslutad\n", "utf-8")
        return {"regions/orebro/bodies/rmks.yaml"}
    if how == "added":
        new = root / "regions/orebro/programme-areas/akut-vard.yaml"
        new.write_text("name: LPO Akut vård\nmirrors: akut-vard\nnmae: x\n", "utf-8")
        return {"regions/orebro/programme-areas/akut-vard.yaml"}
    if how == "removed":  # the seats naming her now dangle, in files not parsed again
        person.unlink()
        return set()
    if how == "renamed":
        person.rename(person.with_name("anna-stahl-2.yaml"))
        return {"regions/orebro/people/anna-stahl-2.yaml"}
    if how == "limits":  # every file's parse depends on the limits
        settings = root / "ksctl.yaml"
        settings.write_text(settings.read_text() + "limits: {max_depth: 5}\n", "utf-8")
        return {"*"}
    if how == "severities":  # a rule's level changes, no file is parsed again
        settings = root / "ksctl.yaml"
        text = settings.read_text().replace("KS421: warning", "KS421: error")
        settings.write_text(text.replace("rules:", "rules:\n  KS421: error", 1), "utf-8")
        return set()
    if how == "touched":
        rmks.touch()
        return set()
    raise AssertionError(how)


EDITS = ["content", "syntax", "added", "removed", "renamed", "limits", "severities", "touched"]


@pytest.mark.parametrize("how", EDITS)
def test_validation_after_a_change_equals_a_cold_run_and_parses_only_what_changed(
    tmp_path: Path, run_line, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    import shutil

    from ksctl import yamlio

    shutil.copytree(NATIONAL_FIXTURE, tmp_path / "registry")
    root = tmp_path / "registry"
    run_line(["ksctl", "validate", "-f", "json"], cwd=tmp_path)  # the snapshot
    _age(tmp_path)
    run_line(["ksctl", "validate", "-f", "json", "--at", "2026-01-01"], cwd=tmp_path)
    must_parse = _edit(root, how)
    parsed: list[str] = []
    real = yamlio.load

    def counting(raw: bytes, path: str, **kwargs: object) -> yamlio.Loaded:
        parsed.append(path.split("/", 1)[1])
        return real(raw, path, **kwargs)  # type: ignore[arg-type]  # the limits, passed on

    with monkeypatch.context() as m:
        m.setattr(yamlio, "load", counting)
        warm = run_line(["ksctl", "validate", "-f", "json", "--at", "2026-01-01"], cwd=tmp_path)
    cold = run_line(
        ["ksctl", "validate", "-f", "json", "--at", "2026-01-01", "--no-cache"], cwd=tmp_path
    )
    assert json.loads(warm.stdout) == json.loads(cold.stdout)
    assert warm.exit_code == cold.exit_code
    if must_parse == {"*"}:
        assert len(parsed) > 100
    else:
        assert set(parsed) - {"ksctl.yaml"} == must_parse  # settings are always read
    if how == "removed":
        assert any(d["code"] == "KS301" for d in json.loads(warm.stdout)["diagnostics"])


def test_a_warm_validation_loads_neither_the_models_nor_any_yaml(reg: Path) -> None:
    env = {**os.environ, "KSCTL_CACHE_DIR": str(reg.parent / "cache")}
    probe = (
        "import sys\n"
        "from ksctl.cli import app\n"
        "try:\n    app(['validate', '-f', 'json'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('ksctl.model', 'ksctl.loader', 'pydantic', 'ruamel', 'yaml', 'jinja2')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], cwd=reg, env=env, text=True, capture_output=True
        )
        for _ in range(2)
    ]
    assert runs[0].stdout.splitlines()[-1] != "[]"  # the first run loads and checks
    assert json.loads("\n".join(runs[1].stdout.splitlines()[:-1]))["ok"] is True
    assert runs[1].stdout.splitlines()[-1] == "[]"


def test_errors_in_the_settings_are_noted_alike_fresh_and_warm(reg: Path, run_line) -> None:
    settings = reg / "registry/ksctl.yaml"
    settings.write_text(settings.read_text() + "policies: {coi_interval_years: noll}\n", "utf-8")
    notes = [run_line(["ksctl", "who-hosts", "akut"], cwd=reg).stderr for _ in range(2)]
    assert notes[0] == notes[1] and "note: 1 error" in notes[0]


def test_the_old_json_cache_is_removed_when_a_snapshot_is_written(reg: Path, run_line) -> None:
    stem = cache.query_file(reg / "registry").stem
    folder = cache.cache_dir()
    folder.mkdir(parents=True)
    for name in (f"{stem}.json", f"{stem}-validate.json"):
        (folder / name).write_text('{"format": 2}')
    assert _host(run_line, reg) == "norra"
    run_line(["ksctl", "validate"], cwd=reg)
    assert sorted(f.suffix for f in folder.iterdir()) == [".query", ".validate"]


def _at_one_time(reg: Path) -> int:
    """Give every file and folder of the registry one modification time (now); return it."""
    now = time.time_ns()
    for path in [reg / "registry", *(reg / "registry").rglob("*")]:
        os.utime(path, ns=(now, now), follow_symlinks=False)
    return now


def _clock(monkeypatch: pytest.MonkeyPatch, at: int) -> None:
    from ksctl.fast import fingerprint

    monkeypatch.setattr(fingerprint, "now_ns", lambda: at)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files compared by their content from now on (their stat was not trusted)."""
    from ksctl.fast import fingerprint

    read: list[str] = []
    real = fingerprint.digest_file

    def counting(path: str) -> bytes:
        read.append(path)
        return real(path)

    monkeypatch.setattr(fingerprint, "digest_file", counting)
    return read


SECOND = 10**9


@pytest.mark.parametrize("command", [["who-hosts", "akut"], ["validate", "-f", "json"]])
def test_files_too_new_to_trust_are_read_until_they_are_not_then_never_again(
    reg: Path, run_line, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # As after a checkout: every file written within two seconds before the snapshot.
    written = _at_one_time(reg)
    _clock(monkeypatch, written + SECOND)
    first = run_line(["ksctl", *command], cwd=reg).stdout  # writes the snapshot
    read = _reads(monkeypatch)
    _clock(monkeypatch, written + SECOND * 3 // 2)  # still too new: read, not settled
    assert run_line(["ksctl", *command], cwd=reg).stdout == first
    assert read
    read.clear()
    _clock(monkeypatch, written + 10 * SECOND)  # old enough: read once more and settled
    assert run_line(["ksctl", *command], cwd=reg).stdout == first
    assert read
    read.clear()
    _clock(monkeypatch, written + 11 * SECOND)  # trusted by their stat from now on
    assert run_line(["ksctl", *command], cwd=reg).stdout == first
    assert read == []
    # An edit after settling is still seen (its time moved), even at the same size.
    path = reg / NPO
    path.write_text(path.read_text().replace("norra", "vastr"), encoding="utf-8")
    os.utime(path, ns=(written + 12 * SECOND, written + 12 * SECOND))
    _clock(monkeypatch, written + 13 * SECOND)
    after = run_line(["ksctl", *command], cwd=reg).stdout
    assert after != first and "vastr" in after


def test_a_validation_looking_back_is_not_reused_on_another_day(
    reg: Path, run_line, monkeypatch
) -> None:
    """A date of what has happened is held against tomorrow (a day's grace) when a check
    looks back (`--at` in the past, KS473): yesterday's snapshot must not answer today."""
    import datetime

    from ksctl import dates

    today = datetime.date.today()
    tomorrow, later = today + datetime.timedelta(days=1), today + datetime.timedelta(days=2)
    assert dates.latest_day(datetime.date(2020, 1, 1)) == tomorrow
    (reg / NPO).write_text(
        FILES[NPO] + f"sources:\n  - url: https://example.se/a\n    retrieved: {later}\n",
        encoding="utf-8",
    )

    def ahead() -> list[tuple[int, str]]:
        r = run_line(["ksctl", "validate", "-f", "json", "--at", "2020-01-01"], cwd=reg)
        found = json.loads(r.stdout)["diagnostics"]
        return [(d["line"], d["code"]) for d in found if d["code"] == "KS473"]

    assert ahead() == [(6, "KS473")]
    assert ahead() == [(6, "KS473")]  # from the snapshot
    assert dates.check_key(later) == later.isoformat()
    assert dates.check_key(datetime.date(2020, 1, 1)) == f"2020-01-01 (latest {tomorrow})"
    monkeypatch.setattr(dates, "latest_day", lambda at: max(at, later))  # a day later
    assert ahead() == []
