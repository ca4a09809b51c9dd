"""`ksctl due`: the coordinator's agenda, and `ksctl stats --coverage`."""

from __future__ import annotations

import json
import shutil
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


def _due(run_line, reg: Path, *args: str) -> dict:
    r = run_line(["ksctl", "due", *args, "--json"], cwd=reg)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize(
    ("at", "within", "until"),
    [
        ("2025-06-01", "6m", "2025-12-01"),  # calendar months, not 180 days
        ("2025-01-31", "1m", "2025-02-28"),  # the end of a shorter month
        ("2024-01-31", "1m", "2024-02-29"),
        ("2024-02-29", "1y", "2025-02-28"),  # calendar years, not 365 days
        ("2023-03-01", "1y", "2024-03-01"),  # across a leap day
        ("2025-06-01", "2w", "2025-06-15"),
        ("2025-06-01", "90", "2025-08-30"),
    ],
)
def test_months_and_years_are_calendar_months_and_years(reg, run_line, at, within, until) -> None:
    assert _due(run_line, reg, "--at", at, "--within", within)["until"] == until


@pytest.mark.parametrize(
    ("args"),
    [
        ["--within", "99999999y"],
        ["--within", "99999999m"],
        ["--within", "99999999999999999999d"],
        ["--within", "999999999w"],
        ["--at", "9999-12-01"],
        ["--at", "9999-12-31", "--within", "1y"],
    ],
)
def test_a_window_past_the_calendar_ends_at_its_last_day(reg, run_line, args) -> None:
    r = run_line(["ksctl", "due", *args, "--json"], cwd=reg)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["until"] == "9999-12-31"
    r = run_line(["ksctl", "due", *args], cwd=reg)
    assert r.exit_code == 0 and "Traceback" not in r.stderr


REMISS = (
    "title: Kol\ntype: vardforlopp\nowner: npo:akut-vard\n"
    "remiss:\n  from: '2026-12'\n  to: '{to}'\n"
    "sources:\n  - url: https://example.org/\n"
)


@pytest.fixture
def with_remiss(tmp_path: Path) -> Path:
    """The clean case with two knowledge supports out on remiss: one closing in a month
    given as YYYY-MM, one in a year given as YYYY."""
    root = tmp_path / "case"
    shutil.copytree(CASE, root)
    supports = root / "registry/national/knowledge-supports"
    (supports / "vf-kol.yaml").write_text(REMISS.format(to="2027-02"), encoding="utf-8")
    (supports / "vf-astma.yaml").write_text(
        REMISS.format(to="2027").replace("Kol", "Astma"), encoding="utf-8"
    )
    return root


def test_a_remiss_deadline_given_to_the_month_falls_due_at_its_end(with_remiss, run_line) -> None:
    assert run_line(["ksctl", "validate"], cwd=with_remiss).exit_code == 0

    def remisses(at: str, within: str) -> list[tuple[str, str, str, str, bool]]:
        doc = _due(run_line, with_remiss, "--at", at, "--within", within)
        return [
            (i["date"], i["entity"]["id"], i["detail"], i["responsible"]["id"], i["overdue"])
            for i in doc["items"]
            if i["what"] == "remiss deadline"
        ]

    kol = ("2027-02-28", "vf-kol", "remiss closes (given as 2027-02)", "akut-vard", False)
    assert remisses("2027-01-15", "1m") == []  # 2027-02-15 is before the month ends
    assert remisses("2027-01-31", "1m") == [kol]
    assert remisses("2027-02-28", "1d") == [kol]  # the last day is not yet overdue
    assert remisses("2027-03-01", "1y") == [  # a closed remiss is history, not agenda
        ("2027-12-31", "vf-astma", "remiss closes (given as 2027)", "akut-vard", False)
    ]


def test_a_seat_that_starts_later_has_its_end_on_the_agenda_too(
    tmp_path: Path, run_line, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A seat from 2027-01-01 with a two-year mandate was listed as starting and never as
    ending, however long the window."""
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(CASE, tmp_path / "case")
    group = tmp_path / "case/registry/national/working-groups/akut-vard/sepsis.yaml"
    group.write_text(
        group.read_text(encoding="utf-8").replace(
            "  - {person: bo, mandate_years: 2, from: 2024-03-01}\n",
            "  - {person: bo, mandate_years: 2, from: 2027-01-01}\n",
        ),
        encoding="utf-8",
    )
    r = run_line(
        ["ksctl", "due", "--at", "2026-12-01", "--within", "800d", "--json"], cwd=tmp_path / "case"
    )
    bo = [(i["date"], i["what"]) for i in json.loads(r.stdout)["items"] if "Bo" in i["detail"]]
    assert ("2027-01-01", "seat starts") in bo
    assert ("2028-12-31", "mandate ends") in bo


def test_stale_counts_what_is_stale_now_whatever_the_window(
    tmp_path: Path, run_line, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stale` grew with --within (237, 305, 414 on the bundled registry) while the text
    said those facts already had no source newer than the policy allows."""
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(CASE, tmp_path / "case")
    people = tmp_path / "case/registry/regions"
    for rel, published in (
        ("norrbotten/people/anna.yaml", "2020-01-01"),  # stale since 2023-01-01
        ("vastra-gotaland/people/bo.yaml", "2024-06-01"),  # stale from 2027-06-01
    ):
        path = people / rel
        path.write_text(
            path.read_text(encoding="utf-8") + "sources:\n  - url: https://example.org/\n"
            f"    published: {published}\n    retrieved: 2025-01-01\n",
            encoding="utf-8",
        )

    def due(*args: str) -> dict:
        r = run_line(["ksctl", "due", "--at", "2026-12-01", "--json", *args], cwd=tmp_path / "case")
        assert r.exit_code == 0, r.stderr
        return json.loads(r.stdout)

    assert [(d["stale"], d["stale_by_until"]) for d in (due("--within", "1d"), due())] == [
        (1, 0),
        (1, 0),
    ]
    doc = due("--within", "1y", "--stale")
    assert (doc["stale"], doc["stale_by_until"]) == (1, 1)
    listed = [
        (i["entity"]["id"], i["overdue"]) for i in doc["items"] if i["what"] == "sources stale"
    ]
    assert listed == [("anna", True), ("bo", False)]
    r = run_line(["ksctl", "due", "--at", "2026-12-01", "--within", "1y"], cwd=tmp_path / "case")
    assert (
        "1 fact has no source newer than the policy allows; 1 more will have none by 2027-12-01"
        in r.stdout
    )
    r = run_line(["ksctl", "due", "--at", "2022-06-01", "--within", "1y"], cwd=tmp_path / "case")
    assert "1 fact will have no source newer than the policy allows by 2023-06-01" in r.stdout


def test_stale_agrees_with_ks471_from_the_cache_and_without_it(
    tmp_path: Path, run_line, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the query cache, glossary terms counted as stale facts of their own (their
    entities there had no place in a file): 237 against KS471's 231 on the bundled data."""
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    old = "sources:\n  - url: https://example.se/\n    published: 2019-01-01\n"
    (case / "registry/glossary.yaml").write_text(
        "terms:\n  - term: LAG\n    expansion: Lokal arbetsgrupp\n    explanation: En grupp.\n    "
        + old.replace("\n", "\n    ").rstrip()
        + "\n",
        encoding="utf-8",
    )
    anna = case / "registry/regions/norrbotten/people/anna.yaml"
    anna.write_text(anna.read_text(encoding="utf-8") + old, encoding="utf-8")
    settings = case / "registry/ksctl.yaml"  # KS471 on, as it is by default
    settings.write_text(settings.read_text().replace("  KS471: 'off'\n", ""), encoding="utf-8")
    args = ["ksctl", "due", "--at", "2026-12-01", "--json"]
    counts = []
    for extra in (["--no-cache"], [], []):  # cold, then the cache written, then read
        r = run_line([*args, *extra], cwd=case)
        assert r.exit_code == 0, r.stderr
        counts.append(json.loads(r.stdout)["stale"])
    r = run_line(["ksctl", "validate", "-f", "json", "--at", "2026-12-01"], cwd=case)
    ks471 = sum(1 for d in json.loads(r.stdout)["diagnostics"] if d["code"] == "KS471")
    assert ks471 == 1  # Anna's file; the glossary's term is no file of its own
    assert counts == [ks471] * 3


def test_a_remiss_that_opens_later_is_on_the_agenda(with_remiss, run_line) -> None:
    """Only a remiss's closing was listed; the regions prepare from its opening."""
    doc = _due(run_line, with_remiss, "--at", "2026-11-15", "--within", "1m")
    opens = [(i["date"], i["entity"]["id"]) for i in doc["items"] if i["what"] == "remiss opens"]
    assert opens == [("2026-12-01", "vf-astma"), ("2026-12-01", "vf-kol")]
    doc = _due(run_line, with_remiss, "--at", "2026-12-02", "--within", "1m")
    assert not [i for i in doc["items"] if i["what"] == "remiss opens"]  # opened: history


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        (  # its own seat, and the nomination to a national group every region may answer
            "vastra-gotaland",
            [("nomination deadline", "akut-vard/sepsis"), ("mandate ends", "akut-vard/sepsis")],
        ),
        (  # its own handling's follow-up and its own seat
            "norrbotten",
            [
                ("nomination deadline", "akut-vard/sepsis"),
                ("follow-up", "norrbotten/vf-sepsis"),
                ("mandate ends", "akut-vard/sepsis"),
            ],
        ),
        (  # a healthcare region: its regions' too, found by name
            "Norra sjukvårdsregionen",
            [
                ("nomination deadline", "akut-vard/sepsis"),
                ("follow-up", "norrbotten/vf-sepsis"),
                ("mandate ends", "akut-vard/sepsis"),
            ],
        ),
    ],
)
def test_due_in_a_place_lists_only_its_own(reg, run_line, place, expected) -> None:
    doc = _due(run_line, reg, "--at", "2025-06-01", "--within", "1y", "--in", place)
    assert [(i["what"], i["entity"]["id"]) for i in doc["items"]] == expected
    seats = [i for i in doc["items"] if i["what"] == "mandate ends"]
    assert len(seats) == 1  # the other region's seat in the same group is left out
    assert doc["in"]["kind"] in ("region", "healthcare-region")
    everything = _due(run_line, reg, "--at", "2025-06-01", "--within", "1y")
    assert everything["in"] is None and len(everything["items"]) == 4


def test_due_in_a_region_lists_its_own_people_reassessments(reg, run_line) -> None:
    doc = _due(run_line, reg, "--at", "2028-06-01", "--within", "2w", "--in", "vastra-gotaland")
    assert [(i["what"], i["entity"]["id"]) for i in doc["items"]] == [("jäv reassessment", "bo")]
    r = run_line(["ksctl", "due", "--in", "vastra-gotaland", "--at", "2028-06-01"], cwd=reg)
    assert r.stdout.startswith("Due in Västra Götalandsregionen from 2028-06-01")
    r = run_line(["ksctl", "due", "--in", "nowhere"], cwd=reg)
    assert r.exit_code != 0 and "no healthcare region or region matches 'nowhere'" in r.stderr
