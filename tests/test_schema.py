"""The committed schemas/ is what the models generate, and the schemas describe the files."""

from __future__ import annotations

import json

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
