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
