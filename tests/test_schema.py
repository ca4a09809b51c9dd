"""The committed schemas/ is what the models generate, and the schemas describe the files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import REPO

from ksctl import schemagen
from ksctl.kinds import file_kinds


def test_committed_schemas_match_the_models() -> None:
    assert schemagen.drift(REPO / "schemas") == [], "run `ksctl schema` and commit schemas/"


def test_one_schema_per_kind_with_the_keys_users_write() -> None:
    generated = schemagen.generate()
    assert sorted(generated) == sorted(f"{k}.schema.json" for k in file_kinds())
    npo = json.loads(generated["npo.schema.json"])
    assert npo["additionalProperties"] is False
    assert {"name", "hosting", "members", "from", "to"} <= set(npo["properties"])
    hosting = npo["$defs"]["Hosting"]["properties"]
    assert hosting["from"]["default"] is None and hosting["from"]["title"] == "From"
    assert hosting["host"]["pattern"] == "^((healthcare-region|organisation):[^\\s:]+)$"


@pytest.mark.parametrize("key", ["from", "to"])
def test_a_hosting_date_may_be_written_to_the_year_month_or_day(key: str) -> None:
    """What ksctl accepts, an editor's schema accepts: `from: 2018` (a YAML integer to an
    editor), '2020-02', '2021-01-01'; an impossible month or a two-digit year it refuses."""
    jsonschema = pytest.importorskip("jsonschema")
    npo = json.loads(schemagen.generate()["npo.schema.json"])
    schema = {**npo["$defs"]["Hosting"]["properties"][key], "$defs": npo["$defs"]}
    valid = jsonschema.Draft202012Validator(schema).is_valid
    for good in ("2018", 2018, "2020-02", "2021-01-01", "2020-12-31", None):
        assert valid(good), good
    for bad in ("2018-13", "2018-00", "2018-01-32", "18", 18, "2018-1", "1 januari 2018", ""):
        assert not valid(bad), bad
    # A group's and a seat's dates too: the sources date them to the year as often.
    npo_from = {**npo["properties"][key], "$defs": npo["$defs"]}
    seat = {**npo["$defs"]["Membership"]["properties"][key], "$defs": npo["$defs"]}
    for schema in (npo_from, seat):
        assert jsonschema.Draft202012Validator(schema).is_valid(2023)
        assert not jsonschema.Draft202012Validator(schema).is_valid("2023-13")


def test_every_schema_passes_its_metaschema_with_format_checks(tmp_path) -> None:
    """Editors and other validators read `pattern` as an ECMA-262 regular expression in
    unicode mode, where re.escape's `\\-` is an error: 10 of the schemas once failed
    `check-jsonschema --check-metaschema`, and editors dropped their patterns (issue 13,
    bug 16). check-jsonschema checks formats (`regex` among them) by default."""
    for name, text in schemagen.generate().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    schemas = sorted(str(p) for p in tmp_path.glob("*.json"))
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--check-metaschema", *schemas],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_a_qualified_reference_pattern_matches_as_the_models_do() -> None:
    """The pattern without escapes still says what the models accept."""
    npo = json.loads(schemagen.generate()["npo.schema.json"])
    represents = npo["$defs"]["Membership"]["properties"]["represents"]["anyOf"][0]["pattern"]
    for good in ("healthcare-region:norra", "municipality:1880", "self"):
        assert re.fullmatch(represents, good), good
    for bad in ("healthcare_region:norra", "healthcareXregion:norra", "person:x", "norra"):
        assert not re.fullmatch(represents, bad), bad


def test_the_scale_benchmark_stops_when_check_jsonschema_checks_nothing(tmp_path) -> None:
    """A baseline that failed to load its schema was once timed as a measurement."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import bench_scale

    assert bench_scale.peer_problem('{"status": "fail", "errors": []}') is None
    assert bench_scale.peer_problem('{"status": "ok"}') is None
    assert bench_scale.peer_problem("") is not None
    bad = tmp_path / "bad.schema.json"
    bad.write_text('{"type": "object", "properties": {"a": {"pattern": "^(a\\\\-b)$"}}}')
    (tmp_path / "file.json").write_text("{}")
    cmd = [
        sys.executable,
        "-m",
        "check_jsonschema",
        "--output-format",
        "json",
        "--schemafile",
        str(bad),
        str(tmp_path / "file.json"),
    ]
    with pytest.raises(SystemExit, match="not a measurement"):
        bench_scale.run(cmd, dict(os.environ), tmp_path, peer=True)
    with pytest.raises(SystemExit, match="fails its metaschema"):
        bench_scale.check_schemas(tmp_path)
    bad.unlink()
    good = tmp_path / "good.schema.json"
    good.write_text('{"type": "object", "properties": {"a": {"pattern": "^(a-b)$"}}}')
    bench_scale.check_schemas(tmp_path)  # passes
    cmd[cmd.index(str(bad))] = str(good)
    seconds, _ = bench_scale.run(cmd, dict(os.environ), tmp_path, peer=True)
    assert seconds > 0


def _as_an_editor_reads(path) -> object:
    """The file's data as YAML 1.2 gives it to an editor's schema check: `2018` an integer,
    an unquoted date a date (which check-jsonschema, as editors, compares as its text)."""
    import datetime

    from ruamel.yaml import YAML

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    return plain(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def test_what_ksctl_accepts_the_editor_schemas_accept(tmp_path, run_line) -> None:
    """Every file of a registry that validates without errors also passes its kind's
    schema as an editor reads it, dates written to the year included (`as_of: 2018` once
    failed 33 files of the bundled registry in every editor)."""
    import shutil

    from conftest import NATIONAL_FIXTURE

    from ksctl import layout

    jsonschema = pytest.importorskip("jsonschema")
    root = tmp_path / "registry"
    shutil.copytree(NATIONAL_FIXTURE, root)
    person = root / "national/people/aarsdatum.yaml"
    person.parent.mkdir(exist_ok=True)
    person.write_text(
        "name: Årsdatum Testsson\n"
        "sources:\n  - title: En sida\n    url: https://example.se/\n    published: 2021\n"
        "    retrieved: 2026-12-02\n",
        encoding="utf-8",
    )
    npo = root / "national/programme-areas/akut-vard.yaml"
    npo.write_text(
        npo.read_text(encoding="utf-8")
        + "members:\n  - role: member\n    person: aarsdatum\n    as_of: 2018\n",
        encoding="utf-8",
    )
    done = run_line(["ksctl", "validate", "-f", "json", "-r", str(root)], cwd=tmp_path)
    assert json.loads(done.stdout)["counts"]["error"] == 0, done.stdout
    schemas = {name: json.loads(text) for name, text in schemagen.generate().items()}
    checked = 0
    for path in sorted(root.rglob("*.yaml")):
        where = layout.locate(path.relative_to(root).as_posix())
        if where is None or f"{where.kind}.schema.json" not in schemas:
            continue
        validator = jsonschema.Draft202012Validator(schemas[f"{where.kind}.schema.json"])
        errors = [
            f"{list(e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(_as_an_editor_reads(path))
        ]
        assert errors == [], f"{path.relative_to(root)}: {errors}"
        checked += 1
    assert checked > 100
