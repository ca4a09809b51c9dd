"""`ksctl due`: the coordinator's agenda, and `ksctl stats --coverage`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASE = Path(__file__).parent / "cases/positive/rules-clean-structure"


@pytest.fixture
def reg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    return CASE


def test_due_lists_what_falls_due_sorted_by_date(reg, run_line) -> None:
    r = run_line(["ksctl", "due", "--at", "2025-06-01", "--within", "1y", "--json"], cwd=reg)
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["until"] == "2026-06-01"
    assert [
        (i["date"], i["what"], i["entity"]["id"], (i["responsible"] or {}).get("name"))
        for i in doc["items"]
    ] == [
        ("2025-09-01", "nomination deadline", "akut-vard/sepsis", "Anna Ek"),
        ("2025-12-01", "follow-up", "norrbotten/vf-sepsis", "Anna Ek"),
        ("2026-02-28", "mandate ends", "akut-vard/sepsis", "Anna Ek"),
        ("2026-02-28", "mandate ends", "akut-vard/sepsis", "Bo Ek"),
    ]


def test_due_window_and_overdue_reassessments(reg, run_line) -> None:
    r = run_line(["ksctl", "due", "--at", "2025-06-01", "--within", "100d", "--json"], cwd=reg)
    assert [i["what"] for i in json.loads(r.stdout)["items"]] == ["nomination deadline"]
    r = run_line(["ksctl", "due", "--at", "2028-06-01", "--within", "2w", "--json"], cwd=reg)
    items = json.loads(r.stdout)["items"]
    assert [(i["what"], i["date"], i["overdue"], i["entity"]["id"]) for i in items] == [
        ("follow-up", "2025-12-01", True, "norrbotten/vf-sepsis"),
        ("jäv reassessment", "2028-01-01", True, "anna"),
        ("jäv reassessment", "2028-01-01", True, "bo"),
    ]


def test_due_rejects_a_bad_window(reg, run_line) -> None:
    r = run_line(["ksctl", "due", "--within", "soon"], cwd=reg)
    assert r.exit_code == 2 and "--within 'soon'" in r.stderr


def test_stats_coverage_is_areas_by_regions(reg, run_line) -> None:
    r = run_line(["ksctl", "stats", "--coverage", "--json"], cwd=reg)
    doc = json.loads(r.stdout)
    assert [x["id"] for x in doc["regions"]] == ["norrbotten", "vastra-gotaland"]
    assert {row["area"]["id"]: row["regions"] for row in doc["areas"]} == {
        "akut-vard": {"norrbotten": "established", "vastra-gotaland": "not-established"},
        "psykisk-halsa": {"norrbotten": "established", "vastra-gotaland": "established"},
    }
