"""The committed schemas/ is what the models generate, and the schemas describe the files."""

from __future__ import annotations

import json

from conftest import REPO

from ksctl import schemagen
from ksctl.layout import FILE_KINDS


def test_committed_schemas_match_the_models() -> None:
    assert schemagen.drift(REPO / "schemas") == [], "run `ksctl schema` and commit schemas/"


def test_one_schema_per_kind_with_the_keys_users_write() -> None:
    generated = schemagen.generate()
    assert sorted(generated) == sorted(f"{k}.schema.json" for k in FILE_KINDS)
    npo = json.loads(generated["npo.schema.json"])
    assert npo["additionalProperties"] is False
    assert {"name", "hosting", "members", "from", "to"} <= set(npo["properties"])
    hosting = npo["$defs"]["Hosting"]["properties"]
    assert hosting["from"] == {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
        "default": None,
        "title": "From",
    }
    assert hosting["host"]["pattern"] == "^((healthcare\\-region|organisation):[^\\s:]+)$"
