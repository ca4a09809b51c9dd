"""Pull-request review in the domain's words: `ksctl diff` between revisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import build_tree
from git_repo import edit, git, make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def test_diff_speaks_the_domain(repo: Path, run_line) -> None:
    edit(
        repo,
        "national/programme-areas/psykisk-halsa.yaml",
        "from: 2018-01-01\n",
        "from: 2018-01-01\n    to: 2020-12-31\n  - host: healthcare-region:vastra\n"
        "    from: 2021-01-01\n",
    )
    edit(
        repo,
        "regions/orebro/bodies/rmks.yaml",
        "  - {person: lena}\n",
        "  - {person: lena}\n  - {person: anna, role: participant}\n",
    )
    edit(repo, "regions/orebro/handling/vf-sepsis.yaml", "stage: beslut", "stage: implementering")
    build_tree(
        repo, {"registry/regions/orebro/programme-areas/akut-vard.yaml": "name: LPO Akut vård\n"}
    )
    r = run_line(["ksctl", "diff", "HEAD"], cwd=repo)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "LPO akut-vard, Region Örebro län: added",
        "Anna Ståhl joined Rådet för medicinskt kunskapsstöd as deltagare",
        "kunskapsstöd Sepsis, Region Örebro län: beslut → implementering",
        "NPO Psykisk hälsa: host changed from SKR to Västra sjukvårdsregionen from 2021-01-01",
        "NPO Psykisk hälsa: hosting by SKR now ends 2020-12-31",
    ]


def test_diff_json_envelope_and_mass_removal(repo: Path, run_line) -> None:
    edit(repo, "regions/orebro/bodies/rmks.yaml", "  - {person: karl}\n  - {person: lena}\n", "")
    r = run_line(["ksctl", "diff", "HEAD", "--format", "json"], cwd=repo)
    doc = json.loads(r.stdout)
    assert list(doc) == ["version", "base", "head", "changes", "alarms"]
    assert [c["summary"] for c in doc["changes"]] == [
        "Karl Ek left Rådet för medicinskt kunskapsstöd",
        "Lena Ek left Rådet för medicinskt kunskapsstöd",
    ]
    assert list(doc["changes"][0]) == ["ref", "change", "field", "before", "after", "summary"]
    assert list(doc["alarms"][0]) == ["scope", "removed", "total", "summary"]
    assert (doc["base"], doc["head"]) == ("HEAD", "working tree")
    assert (
        doc["alarms"][0]["summary"] == "2 of 3 members of Rådet för medicinskt kunskapsstöd removed"
    )
    md = run_line(["ksctl", "diff", "HEAD", "--format", "markdown"], cwd=repo).stdout
    assert "**Mass removal:** 2 of 3 members" in md and "- ➖ Karl Ek left" in md


def test_diff_between_two_revisions_and_a_bad_revision(repo: Path, run_line) -> None:
    r = run_line(["ksctl", "diff", "HEAD", "HEAD"], cwd=repo)
    assert r.stdout == "no changes to the registry\n"
    r = run_line(["ksctl", "diff", "no-such-rev"], cwd=repo)
    assert r.exit_code == 2  # the user's mistake: a usage error, not a missing registry
    assert "'no-such-rev' names no commit" in r.stderr
    assert "expected a commit id, branch or tag" in r.stderr
    r = run_line(["ksctl", "validate", "--changed-since", "HEAD~5"], cwd=repo)
    assert r.exit_code == 2 and "'HEAD~5' names no commit" in r.stderr
    r = run_line(["ksctl", "diff", "HEAD", "nope"], cwd=repo)
    assert r.exit_code == 2 and "'nope' names no commit" in r.stderr


def test_diff_reports_an_invalid_file_once_not_as_removed_data(repo: Path, run_line) -> None:
    npo = repo / "registry/national/programme-areas/psykisk-halsa.yaml"
    npo.write_text(npo.read_text(encoding="utf-8") + "foo: bar\n", encoding="utf-8")
    edit(repo, "regions/orebro/bodies/rmks.yaml", "type: council", "type: council\nnmae: x")
    r = run_line(["ksctl", "diff", "HEAD"], cwd=repo)
    assert r.stdout.splitlines() == [
        "ERROR: Rådet för medicinskt kunskapsstöd: does not pass validation (run ksctl validate)",
        "ERROR: NPO Psykisk hälsa: does not pass validation (run ksctl validate)",
    ]
    assert "(none)" not in r.stdout and "removed" not in r.stdout
    doc = json.loads(run_line(["ksctl", "diff", "HEAD", "-f", "json"], cwd=repo).stdout)
    assert doc["alarms"] == []  # the members did not go anywhere
    assert [(c["ref"], c["change"], c["field"], c["after"]) for c in doc["changes"]] == [
        ("body:orebro/rmks", "changed", "validation", "fails"),
        ("npo:psykisk-halsa", "changed", "validation", "fails"),
    ]
    md = run_line(["ksctl", "diff", "HEAD", "-f", "markdown"], cwd=repo).stdout
    assert "> [!CAUTION]" in md
    assert "> **Does not pass validation:** NPO Psykisk hälsa" in md
    assert "`ksctl validate`" in md


def test_diff_from_an_invalid_base_and_of_an_added_invalid_file(repo: Path, run_line) -> None:
    edit(repo, "regions/orebro/people/karl.yaml", "name: Karl Ek", "name: Karl Ek\ntitel: x")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "typo")
    edit(repo, "regions/orebro/people/karl.yaml", "name: Karl Ek\ntitel: x", "name: Karl Eke")
    build_tree(repo, {"registry/regions/orebro/people/new.yaml": "nmae: Ny\n"})
    r = run_line(["ksctl", "diff", "HEAD"], cwd=repo)
    assert r.stdout.splitlines() == [
        "ERROR: new: added, but does not pass validation (run ksctl validate)",
        "Karl Eke: did not pass validation before; now it does (fields not compared)",
    ]


def test_an_edited_seat_is_one_change_not_a_member_leaving_and_joining(
    repo: Path, run_line
) -> None:
    """A seat whose party or start is corrected is the same person's same seat (the site's
    history once said "ny som ordförande" and "har lämnat" for one edit)."""
    edit(
        repo,
        "regions/orebro/bodies/rmks.yaml",
        "  - {person: gustav, role: chair}\n",
        "  - {person: gustav, role: chair, represents: region:orebro, from: 2024-04}\n",
    )
    r = run_line(["ksctl", "diff", "HEAD", "--format", "json"], cwd=repo)
    doc = json.loads(r.stdout)
    assert [(c["change"], c["field"]) for c in doc["changes"]] == [
        ("changed", "members.from"),
        ("changed", "members.represents"),
    ]
    assert doc["alarms"] == []


def test_a_hosting_whose_two_ends_move_is_one_change(repo: Path, run_line) -> None:
    """Writing a hosting's dates to the year made two changes that the site phrased alike
    ("börjar nu 2018" twice)."""
    edit(
        repo,
        "national/programme-areas/psykisk-halsa.yaml",
        "from: 2018-01-01\n",
        "from: 2018\n    to: 2020\n",
    )
    doc = json.loads(run_line(["ksctl", "diff", "HEAD", "--format", "json"], cwd=repo).stdout)
    assert [c["summary"] for c in doc["changes"]] == [
        "NPO Psykisk hälsa: hosting by SKR now starts 2018 (was 2018-01-01) and ends 2020"
    ]
    from ksctl.diffing import Change
    from ksctl.render.changes import phrase

    c = doc["changes"][0]
    change = Change(c["ref"], c["change"], c["field"], c["before"], c["after"], c["summary"])
    assert phrase(change, {"organisation:skr": "SKR"}, subject=False) == (
        "Värdskapet hos SKR börjar nu 2018 och slutar nu 2020"
    )


def test_a_renamed_file_is_told_apart_by_its_ref(repo: Path, run_line) -> None:
    """A person's file renamed read "Gustav Ekbäck: added" and "Gustav Ekbäck: removed",
    two lines that looked the same."""
    people = repo / "registry/regions/orebro/people"
    (people / "gustav.yaml").rename(people / "gustav-ekback.yaml")
    r = run_line(["ksctl", "diff", "HEAD"], cwd=repo)
    assert "Gustav Ekbäck (person:gustav-ekback): added" in r.stdout.splitlines()
    assert "Gustav Ekbäck (person:gustav): removed" in r.stdout.splitlines()
    assert "Karl Ek" not in r.stdout  # a name that does not come twice keeps its plain form


def test_a_vacant_seat_says_what_it_is_for(repo: Path, run_line) -> None:
    """ "Psykisk hälsa: vacant seat added" said neither the role nor whom it stands for."""
    edit(
        repo,
        "regions/orebro/bodies/rmks.yaml",
        "  - {person: lena}\n",
        "  - {person: lena}\n  - {vacant: true, represents: region:orebro, from: 2027-01-01}\n",
    )
    r = run_line(["ksctl", "diff", "HEAD"], cwd=repo)
    assert (
        "Rådet för medicinskt kunskapsstöd: vacant seat as ledamot for Region Örebro län "
        "added from 2027-01-01"
    ) in r.stdout.splitlines(), r.stdout
    edit(
        repo,
        "regions/orebro/bodies/rmks.yaml",
        "  - {person: lena}\n",
        "  - {person: lena}\n  - {vacant: true, role: patient-representative, represents: self}\n",
    )
    r = run_line(["ksctl", "diff", "HEAD"], cwd=repo)
    said = [line for line in r.stdout.splitlines() if "patient" in line]
    assert said == [
        "Rådet för medicinskt kunskapsstöd: vacant seat as patient- och närståendeföreträdare added"
    ], r.stdout
