"""The change process as a coordinator meets it: what a correct edit needs, what a wrong one
is told, and the answers about it (issue 13)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SETTINGS, build_tree

HR = "name: {0}\nofficial_name: {0} sjukvårdsregionen\n"
FILES = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/norra/healthcare-region.yaml": HR.format("Norra"),
    "registry/healthcare-regions/vastra/healthcare-region.yaml": HR.format("Västra"),
    "registry/regions/orebro/region.yaml": (
        "name: Region Örebro län\ncounty_code: '18'\nhealthcare_region: vastra\n"
    ),
    "registry/national/programme-areas/akut-vard.yaml": (
        "name: Akut vård\nhosting:\n"
        "  - {host: healthcare-region:norra, from: 2018, to: 2026-12-31}\n"
        "  - {host: healthcare-region:vastra, from: 2027-01-01}\n"
        "members:\n"
        "  - {person: eva, role: chair, from: 2023-01, to: 2026-12}\n"
        "  - {person: bo, role: chair, from: 2027-01}\n"
    ),
    "registry/regions/orebro/people/eva.yaml": (
        "name: Eva Ek\nemployer: region:orebro\ncontact:\n"
        "  - {type: email, value: eva.ek@example.org}\n"
        "  - {type: email, value: kunskapsstod@example.org, public: true}\n"
    ),
    "registry/regions/orebro/people/bo.yaml": "name: Bo Berg\nemployer: region:orebro\n",
}
TODAY = "2026-12-02"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    return build_tree(tmp_path / "repo", FILES)


def _json(run_line, repo: Path, *args: str) -> dict:
    r = run_line(["ksctl", *args, "--json"], cwd=repo)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_new_refuses_an_lpo_or_rpo_for_an_area_that_does_not_exist(repo, run_line) -> None:
    """`new lpo orebro/akutvard` made an LPO of nothing and validate said 0 errors."""
    for kind, ident in (("lpo", "orebro/akutvard"), ("rpo", "norra/akutvard")):
        r = run_line(["ksctl", "new", kind, ident, "--name", "Akutvård"], cwd=repo)
        assert r.exit_code == 1
        assert "error[KS424]" in r.stderr and "did you mean 'akut-vard'" in r.stderr
    assert not list(repo.glob("registry/**/akutvard.yaml"))
    build_tree(repo, {"registry/regions/orebro/programme-areas/akutvard.yaml": "name: X\n"})
    r = run_line(["ksctl", "validate"], cwd=repo)  # written by hand: validate says so too
    assert r.exit_code == 1 and "error[KS424] LPO X: no national area 'akutvard'" in r.stdout
    build_tree(
        repo, {"registry/regions/orebro/programme-areas/akutvard.yaml": "name: LPO Akutvård\n"}
    )
    r = run_line(["ksctl", "validate"], cwd=repo)  # its name says LPO already: said once
    assert "error[KS424] LPO Akutvård: no national area" in r.stdout


def test_a_seat_that_starts_later_is_upcoming_everywhere(repo, run_line) -> None:
    doc = _json(run_line, repo, "person", "bo", "--at", TODAY)
    assert [(s["state"], s["current"]) for s in doc["seats"]] == [("upcoming", False)]
    doc = _json(run_line, repo, "members", "akut", "--at", TODAY)
    assert [(m["person"]["name"], m["state"]) for m in doc["members"]] == [
        ("Eva Ek", "current"),
        ("Bo Berg", "upcoming"),
    ]
    doc = _json(run_line, repo, "members", "akut", "--at", "2027-02-01")
    assert [(m["person"]["name"], m["state"]) for m in doc["members"]] == [("Bo Berg", "current")]
    r = run_line(["ksctl", "members", "akut", "--at", TODAY], cwd=repo)
    assert re.search(r"Bo Berg .*upcoming: from 2027-01", r.stdout)


def test_an_upcoming_seat_is_shown_with_its_whole_period_or_its_source_date(
    tmp_path, run_line
) -> None:
    """A later seat keeps its end; before the date a source gives a seat on, the seat is
    not yet known to hold: said with that date, never as "from None"."""
    npo = FILES["registry/national/programme-areas/akut-vard.yaml"].replace(
        "  - {person: bo, role: chair, from: 2027-01}\n",
        "  - {person: bo, role: chair, from: 2027-01, to: 2029-12}\n"
        "  - {person: ada, role: member, as_of: 2024-04-16}\n",
    )
    files = {
        **FILES,
        "registry/national/programme-areas/akut-vard.yaml": npo,
        "registry/regions/orebro/people/ada.yaml": "name: Ada Al\nemployer: region:orebro\n",
    }
    repo = build_tree(tmp_path / "repo", files)
    r = run_line(["ksctl", "members", "akut", "--at", TODAY], cwd=repo)
    assert re.search(r"Bo Berg .*upcoming: 2027-01 – 2029-12", r.stdout)
    r = run_line(["ksctl", "members", "akut", "--at", "2024-01"], cwd=repo)
    assert re.search(r"Ada Al .*upcoming: as of 2024-04-16", r.stdout), r.stdout
    assert "None" not in r.stdout


def test_due_lists_hosting_handovers_and_seats_starting_and_ending(repo, run_line) -> None:
    doc = _json(run_line, repo, "due", "--at", TODAY, "--within", "3m")
    assert [(i["date"], i["what"], i["detail"]) for i in doc["items"]] == [
        ("2026-12-31", "hosting ends", "Norra hands over"),
        ("2026-12-31", "mandate ends", "ordförande: Eva Ek (given as 2026-12)"),
        ("2027-01-01", "hosting starts", "Västra takes over"),
        # A national seat that starts without a jäv declaration on file (KS441 then).
        ("2027-01-01", "jäv declaration", "ordförande: Bo Berg (given as 2027-01)"),
        ("2027-01-01", "seat starts", "ordförande: Bo Berg (given as 2027-01)"),
    ]


@pytest.mark.parametrize("command", ["show", "person"])
def test_show_and_person_leave_private_contacts_out_unless_asked(
    repo, run_line, command: str
) -> None:
    """`show` printed contact details that are not public; one rule for every command."""
    ref = "person:eva" if command == "show" else "eva"
    for args, private in (([], False), (["--include-private"], True)):
        r = run_line(["ksctl", command, ref, *args], cwd=repo)
        assert r.exit_code == 0
        assert "kunskapsstod@example.org" in r.stdout
        assert ("eva.ek@example.org" in r.stdout) is private
        doc = _json(run_line, repo, command, ref, *args)
        assert ("eva.ek@example.org" in json.dumps(doc)) is private


def test_a_hosting_move_next_year_is_answered_as_of_then(repo, run_line) -> None:
    assert _json(run_line, repo, "who-hosts", "akut", "--at", TODAY)["host"]["id"] == "norra"
    doc = _json(run_line, repo, "who-hosts", "akut", "--at", "2027")
    assert doc["host"]["id"] == "vastra" and doc["at"] == "2027-01-01"
    assert [p["name"] for p in doc["chair"]] == ["Bo Berg"]
    r = run_line(["ksctl", "validate", "--at", "2027-06"], cwd=repo)
    assert r.exit_code == 0, r.stdout


def test_no_test_reads_the_live_registry() -> None:
    """A legitimate edit of registry/ must never fail the project's own tests: they use
    fixtures (NATIONAL_FIXTURE is a frozen copy)."""
    here = Path(__file__).parent
    readers = [
        p.name
        for p in sorted(here.glob("test_*.py"))
        if re.search(
            r"(str|copytree)\(\s*REPO\s*/\s*[\"']registry[\"']", p.read_text(encoding="utf-8")
        )
    ]
    assert readers == []


def test_search_reads_governance_tasks_and_history(repo, run_line) -> None:
    build_tree(
        repo,
        {
            "registry/regions/orebro/region.yaml": (
                "name: Region Örebro län\ncounty_code: '18'\nhealthcare_region: vastra\n"
                "governance:\n  - topic: patient-representatives\n"
                "    text: Företrädare rekryteras via Levande bibliotek.\n"
            )
        },
    )
    doc = _json(run_line, repo, "search", "levande bibliotek")
    assert [(i["id"], i["field"]) for i in doc["items"]] == [("orebro", "governance")]


def test_a_seat_without_dates_says_so(repo, run_line) -> None:
    build_tree(
        repo,
        {
            "registry/regions/orebro/bodies/rad.yaml": (
                "name: Rådet\ntype: council\nmembers:\n  - {person: eva, role: chair}\n"
            )
        },
    )
    r = run_line(["ksctl", "members", "rad"], cwd=repo)
    assert re.search(r"Eva Ek .*dates unknown", r.stdout)


def test_a_reference_written_as_a_name_is_told_the_id(tmp_path, run_line) -> None:
    """`person: Eva Ek` and `host: Västra` were told nothing about the ids they mean."""
    npo = (
        "name: Akut vård\nhosting:\n  - {host: Västra, from: 2018, to: 2020}\n"
        "  - {host: Västra sjukvårdsregionen, from: 2021}\n"
        "members:\n  - {person: Eva Ek, role: member, from: 2023-01}\n"
    )
    repo = build_tree(
        tmp_path / "repo",
        {**FILES, "registry/national/programme-areas/akut-vard.yaml": npo},
    )
    r = run_line(["ksctl", "validate", "-f", "json"], cwd=repo)
    found = json.loads(r.stdout)["diagnostics"]
    hints = {d["code"]: d["hint"] for d in found}
    # by its name and by its official name
    assert [d["hint"] for d in found if d["code"] == "KS305"] == [
        "did you mean 'healthcare-region:vastra'?"
    ] * 2
    assert hints["KS301"] == "references are written by id: did you mean 'eva'?"
