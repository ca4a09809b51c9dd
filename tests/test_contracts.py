"""The --json envelopes of the query commands, pinned: their keys, in order, as documented in
docs/json.md. A change here is a change of contract and bumps `version`.

Run through the CLI on the registry bundled with the repository.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import NATIONAL_FIXTURE, REPO, SETTINGS, build_tree

DOCS = (REPO / "docs" / "json.md").read_text(encoding="utf-8")
NATIONAL = ["--registry", str(NATIONAL_FIXTURE)]
BRIEF = ["id", "kind", "name"]
SEAT = [
    "person",
    "vacant",
    "role",
    "role_label",
    "represents",
    "function",
    "from",
    "to",
    "as_of",
    "mandate_ends",
    "state",
    "current",
    "confidence",
]
NPO_RELATIONS = [
    "host",
    "dormant_host",
    "from",
    "working_groups",
    "knowledge_supports",
    "rpo_by_healthcare_region",
    "lpo_by_region",
    "members",
]

# section of docs/json.md -> (arguments, {path: keys}); a path is dotted keys, "[]" for every
# item of a list (which must not be empty), "" for the envelope itself.
CONTRACTS: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "show": (
        ["show", "npo:infektionssjukdomar"],
        {
            "": ["version", "entity", "matched", "at", "data", "names", "relations"],
            "entity": [*BRIEF, "path"],
            "relations": NPO_RELATIONS,
            "relations.host": BRIEF,
            "relations.knowledge_supports[]": BRIEF,
            "relations.rpo_by_healthcare_region[]": ["healthcare_region", "rpo"],
            "relations.lpo_by_region[]": ["region", "lpo", "status"],
            "relations.lpo_by_region[].region": BRIEF,
        },
    ),
    "show a group": (
        ["show", "body:orebro/rmks"],
        {
            "": ["version", "entity", "matched", "at", "data", "names", "relations"],
            "relations": ["members"],
        },
    ),
    "show a healthcare region": (
        ["show", "healthcare-region:norra"],
        {
            "relations": ["regions", "hosts"],
            "relations.regions[]": BRIEF,
            "relations.hosts[]": ["id", "name", "as", "from"],
        },
    ),
    "show a region": (
        ["show", "region:orebro"],
        {"relations": ["lpo", "bodies"], "relations.bodies[]": BRIEF},
    ),
    "show a person": (
        ["show", "person:anna-stahl"],
        {"relations": ["seats"], "relations.seats[]": ["group", *SEAT]},
    ),
    "members": (
        ["members", "body:orebro/rmks"],
        {
            "": ["version", "group", "matched", "at", "members"],
            "group": BRIEF,
            "members[]": SEAT,
            "members[].person": BRIEF,
        },
    ),
    "person": (
        ["person", "anna-stahl"],
        {
            "": ["version", "person", "matched", "at", "seats"],
            "person": [
                *BRIEF,
                "title",
                "employer",
                "unit",
                "contact",
                "confidence",
                "published",
            ],
            "person.employer": BRIEF,
            "seats[]": ["group", *SEAT],
            "seats[].group": BRIEF,
        },
    ),
    "search": (
        ["search", "sepsis"],
        {"": ["version", "query", "items"], "items[]": [*BRIEF, "field", "text"]},
    ),
    "explain": (
        ["explain", "RSS"],
        {"": ["version", "term", "matched", "expansion", "explanation", "see"]},
    ),
    "stats": (
        ["stats", "--at", "2026-01-01"],
        {
            "": [
                "version",
                "at",
                "counts",
                "levels",
                "national_seat_shares",
                "patient_representation",
                "groups_with_vacant_seats",
            ],
            "levels": ["national", "healthcare-regional", "local"],
            "levels.national": ["npo", "nsg", "nag"],
            "national_seat_shares[]": ["healthcare_region", "seats", "regions"],
            "national_seat_shares[].regions[]": [
                "region",
                "seats",
                "share",
                "published",
                "published_as_of",
            ],
            "patient_representation": [
                "groups_with_members",
                "with_patient_representative",
                "share",
            ],
            "groups_with_vacant_seats[]": [*BRIEF, "vacant", "filled"],
        },
    ),
    "stats --coverage": (
        ["stats", "--coverage"],
        {
            "": ["version", "at", "regions", "areas"],
            "regions[]": BRIEF,
            "areas[]": ["area", "regions"],
            "areas[].area": BRIEF,
        },
    ),
    "due": (
        ["due", "--at", "2020-01-01", "--within", "1y"],
        {
            "": ["version", "at", "until", "in", "matched", "stale", "stale_by_until", "items"],
            "items[]": ["date", "what", "overdue", "entity", "detail", "responsible"],
            "items[].entity": BRIEF,
        },
    ),
    "due --in": (
        ["due", "--at", "2020-01-01", "--in", "norra"],
        {"": ["version", "at", "until", "in", "matched", "stale", "stale_by_until", "items"]},
    ),
    "list": (
        ["list", "person"],
        {"": ["version", "kind", "in", "matched", "at", "items"], "items[]": BRIEF},
    ),
    "list npo": (["list", "npo"], {"items[]": [*BRIEF, "host", "members", "vacant"]}),
    "list region": (
        ["list", "region", "--in", "norra"],
        {"in": BRIEF, "items[]": [*BRIEF, "county_code", "healthcare_region"]},
    ),
    "list a group kind": (["list", "rpo"], {"items[]": [*BRIEF, "members", "vacant"]}),
    "who-hosts": (
        ["who-hosts", "akut"],
        {
            "": [
                "version",
                "area",
                "matched",
                "host",
                "dormant_host",
                "from",
                "to",
                "confidence",
                "published",
                "at",
                "chair",
                "process_leader",
                "history",
            ],
            "area": ["id", "name", "from", "to", "exists"],
            "history[]": ["host", "dormant_host", "from", "to", "confidence", "published"],
        },
    ),
    "who-hosts --by": (
        ["who-hosts", "--by", "norra"],
        {
            "": ["version", "host", "matched", "via", "at", "areas"],
            "areas[]": ["id", "name", "as", "from"],
        },
    ),
}


def _at(doc: Any, path: str) -> list[Any]:
    """Every value at `path` in `doc`; a list step must have items."""
    values = [doc]
    for step in re.findall(r"[^.\[\]]+|\[\]", path):
        if step == "[]":
            for v in values:
                assert isinstance(v, list) and v, f"{path}: expected a non-empty list"
            values = [item for v in values for item in v]
        else:
            values = [v[step] for v in values]
    return values


@pytest.fixture(scope="module")
def national_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("national-cache"))


@pytest.mark.parametrize("name", list(CONTRACTS))
def test_json_envelope_keys_are_pinned(run_line, national_cache, name) -> None:
    args, shapes = CONTRACTS[name]
    r = run_line(["ksctl", *args, *NATIONAL, "--json"], env={"KSCTL_CACHE_DIR": national_cache})
    assert r.exit_code == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["version"] == 2
    for path, keys in shapes.items():
        for value in _at(doc, path):
            assert isinstance(value, dict) and list(value) == keys, (path, value)


def test_stats_counts_every_kind_and_coverage_every_region(run_line, national_cache) -> None:
    env = {"KSCTL_CACHE_DIR": national_cache}
    stats = json.loads(run_line(["ksctl", "stats", *NATIONAL, "--json"], env=env).stdout)
    assert list(stats["counts"]) == [
        "healthcare-region",
        "region",
        "municipality",
        "npo",
        "nsg",
        "nag",
        "rpo",
        "rsg",
        "rag",
        "lpo",
        "lsg",
        "lag",
        "body",
        "organisation",
        "person",
        "knowledge-support",
        "handling",
        "term",
        "system",
    ]
    cov = json.loads(
        run_line(["ksctl", "stats", "--coverage", *NATIONAL, "--json"], env=env).stdout
    )
    regions = [r["id"] for r in cov["regions"]]
    for row in cov["areas"]:
        assert list(row["regions"]) == regions
        assert set(row["regions"].values()) <= {"established", "not-established", "missing"}


def test_explain_see_items(tmp_path, run_line) -> None:
    """The bundled glossary has no `see:`; a small registry shows the items' keys."""
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/glossary.yaml": "terms:\n  - term: NPO\n    expansion: Nationellt "
            "programområde\n    explanation: Leder.\n    see: [npo:akut-vard]\n",
            "registry/national/programme-areas/akut-vard.yaml": "name: Akut vård\n",
        },
    )
    r = run_line(["ksctl", "explain", "NPO", "--json"], cwd=tmp_path)
    assert json.loads(r.stdout)["see"] == [{"id": "akut-vard", "kind": "npo", "name": "Akut vård"}]


def _section(command: str) -> str:
    m = re.search(rf"^## `ksctl {re.escape(command)}`\n(.*?)(?=^## |\Z)", DOCS, re.M | re.S)
    assert m, f"docs/json.md has no section for ksctl {command}"
    return m.group(1)


def _documents(text: str, key: str) -> bool:
    return f"`{key}`" in text or f'"{key}"' in text


def test_docs_json_md_defines_briefs_and_seats_once() -> None:
    conventions = DOCS.split("\n## ", 1)[0]
    for key in [*BRIEF, *SEAT]:
        assert _documents(conventions, key), key


@pytest.mark.parametrize("name", list(CONTRACTS))
def test_docs_json_md_documents_every_pinned_key(name) -> None:
    args, shapes = CONTRACTS[name]
    command = args[0] + (" --coverage" if "--coverage" in args else "")
    command += " --by" if "--by" in args else ""
    text = _section(command)
    for keys in shapes.values():
        # a brief or a seat, and what is added to one, is defined once at the top
        shared = {k for part in (BRIEF, SEAT) if set(part) <= set(keys) for k in part}
        for key in keys:
            if key not in shared:
                assert _documents(text, key), f"ksctl {command}: {key!r} not in docs/json.md"


def test_the_error_envelope_names_each_candidate_by_kind_and_id(run_line, national_cache) -> None:
    """Documented as version 1 while it was 2; its candidates had no kind, so `show bg` (a
    body and a term) could not be resolved from them."""
    env = {"KSCTL_CACHE_DIR": national_cache}
    r = run_line(["ksctl", "who-hosts", "hälsa", *NATIONAL, "--json"], env=env)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert list(doc) == ["version", "error", "candidates"] and doc["version"] == 2
    assert all(list(c) == ["kind", "id", "name"] for c in doc["candidates"])
    assert doc["candidates"]
    assert '{"version": 2, "error": str, "candidates": [{"kind", "id", "name"}]}' in DOCS
