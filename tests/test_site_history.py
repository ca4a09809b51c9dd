"""What changed, when: the page "Senaste ändringar", the Atom feed and each entity's own
changes, built from the registry's git history with the domain diff; the same history
gives the same bytes, and a copy without history says so instead of failing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import append_text, build_tree

from ksctl import history

CASE = Path(__file__).parent / "cases/positive/rules-clean-structure"
NPO = "registry/national/programme-areas/akut-vard.yaml"
ATOM = "{http://www.w3.org/2005/Atom}"


def _git(repo: Path, *args: str, when: str = "2026-01-05T10:00:00+01:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A registry with three commits: the first, a hosting handover from 2027-01-01, and a
    member joining (plus a commit outside the registry, which is no change of it)."""
    root = tmp_path / "repo"
    shutil.copytree(CASE / "registry", root / "registry")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Start the registry", when="2026-01-05T10:00:00+01:00")
    npo = root / NPO
    text = npo.read_text(encoding="utf-8")
    handover = (
        "  - host: healthcare-region:norra\n    from: 2018-01-01\n    to: 2026-12-31\n"
        "  - host: healthcare-region:vastra\n    from: 2027-01-01\n"
    )
    npo.write_text(
        text.replace("  - host: healthcare-region:norra\n    from: 2018-01-01\n", handover),
        encoding="utf-8",
    )
    _git(root, "commit", "-qam", "Hand Akut vård over to Västra", when="2026-03-02T09:30:00+01:00")
    build_tree(root, {"README.md": "Om registret\n"})
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Readme only", when="2026-03-03T09:30:00+01:00")
    build_tree(root, {"registry/regions/norrbotten/people/cecilia.yaml": "name: Cecilia Berg\n"})
    append_text(
        root / "registry/national/working-groups/akut-vard/sepsis.yaml",
        "  - {person: cecilia, role: member, from: 2026-04-01}\n",
    )
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Cecilia joins the sepsis group", when="2026-04-01T08:00:00+02:00")
    return root


def _export(run_line, repo: Path, out: Path) -> Path:
    r = run_line(["ksctl", "export", "--html", str(out)], cwd=repo)
    assert r.exit_code == 0, r.stderr
    return out


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_history_reads_each_commit_that_changed_the_registry(repo) -> None:
    found = history.read(repo / "registry")
    assert found.missing is None and found.complete
    assert [r.subject for r in found.revisions] == [
        "Cecilia joins the sepsis group",
        "Hand Akut vård over to Västra",
        "Start the registry",
    ]
    assert [r.date for r in found.revisions] == ["2026-04-01", "2026-03-02", "2026-01-05"]
    assert found.revisions[-1].first and not found.revisions[0].first
    handover = found.revisions[1]
    assert {c.ref for c in handover.changes} == {"npo:akut-vard"}
    assert {c.field for c in handover.changes} == {"hosting"}


def test_the_changes_page_phrases_the_domain_diff_in_swedish(repo, run_line, tmp_path) -> None:
    site = _export(run_line, repo, tmp_path / "site")
    page = _text((site / "andringar.html").read_text(encoding="utf-8"))
    assert (
        "NPO Akut vård: värd byts från Norra sjukvårdsregionen till Västra "
        "sjukvårdsregionen från 2027-01-01" in page
    )
    assert "Cecilia Berg: tillagd" in page
    assert "NAG Sepsis: Cecilia Berg införd som ledamot från 2026-04-01" in page
    assert "Registret skapades med" in page
    # newest first, one section per commit that changed the registry
    dates = re.findall(
        r"<h2 id=\"[^\"]+\">(\d{4}-\d\d-\d\d) – ", (site / "andringar.html").read_text()
    )
    assert dates == ["2026-04-01", "2026-03-02", "2026-01-05"]
    assert "Readme" not in page


def test_each_entity_page_lists_its_own_changes(repo, run_line, tmp_path) -> None:
    site = _export(run_line, repo, tmp_path / "site")
    npo = (site / "npo/akut-vard.html").read_text(encoding="utf-8")
    section = npo.split('id="andringar"', 1)[1].split("</section>", 1)[0]
    rows = [
        [_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", section)
    ]
    assert [r[:2] for r in rows] == [
        ["Datum", "Ändring"],
        [
            "2026-03-02",
            "Värd byts från Norra sjukvårdsregionen till Västra sjukvårdsregionen från 2027-01-01",
        ],
        ["2026-03-02", "Värdskapet hos Norra sjukvårdsregionen slutar nu 2026-12-31"],
        ["2026-01-05", "Tillagd när registret skapades"],
    ]
    assert all(re.fullmatch(r"[0-9a-f]{7}", r[2]) for r in rows[1:])
    assert 'href="../andringar.html#c-' in section
    unchanged = (site / "npo/psykisk-halsa.html").read_text(encoding="utf-8")
    assert "2026-03-02" not in unchanged


def test_the_feed_is_atom_with_one_entry_per_commit(repo, run_line, tmp_path) -> None:
    site = _export(run_line, repo, tmp_path / "site")
    feed = ET.fromstring((site / "andringar.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2026-04-01T08:00:00+02:00",
        "2026-03-02T09:30:00+01:00",
        "2026-01-05T10:00:00+01:00",
    ]
    assert feed.findtext(f"{ATOM}updated") == "2026-04-01T08:00:00+02:00"
    assert "värd byts från Norra sjukvårdsregionen" in entries[1].findtext(f"{ATOM}content")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 3 and all(i.startswith("urn:uuid:") for i in ids)
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert all(link.startswith("andringar.html#c-") for link in links)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in index


def test_the_feed_links_absolutely_where_the_site_says_where_it_is(
    repo, run_line, tmp_path
) -> None:
    settings = repo / "registry/ksctl.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "site:\n  url: https://example.se/katalog/\n",
        encoding="utf-8",
    )
    _git(repo, "commit", "-qam", "Say where the site is", when="2026-05-01T08:00:00+02:00")
    site = _export(run_line, repo, tmp_path / "site")
    feed = ET.fromstring((site / "andringar.xml").read_bytes())
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id").startswith("https://example.se/katalog/andringar.html#c-")
    self_link = [
        link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"
    ]
    assert self_link == ["https://example.se/katalog/andringar.xml"]


def test_the_same_history_gives_the_same_bytes(repo, run_line, tmp_path) -> None:
    a = _export(run_line, repo, tmp_path / "a")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    b = _export(run_line, clone, tmp_path / "b")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_a_shallow_clone_says_it_has_no_history(repo, run_line, tmp_path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert history.read(clone / "registry").missing == history.SHALLOW
    site = _export(run_line, clone, tmp_path / "site")
    page = _text((site / "andringar.html").read_text(encoding="utf-8"))
    assert "grund klon" in page
    feed = ET.fromstring((site / "andringar.xml").read_bytes())
    assert feed.findall(f"{ATOM}entry") == []
    assert 'id="andringar"' not in (site / "npo/akut-vard.html").read_text(encoding="utf-8")


def test_outside_git_there_is_no_history_and_no_failure(run_line, tmp_path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(CASE / "registry", root / "registry")
    assert history.read(root / "registry").missing == history.NOT_GIT
    site = _export(run_line, root, tmp_path / "site")
    page = _text((site / "andringar.html").read_text(encoding="utf-8"))
    assert "inte i ett git-arkiv" in page


def test_only_the_newest_commits_are_read(repo) -> None:
    found = history.read(repo / "registry", limit=2)
    assert not found.complete
    assert [r.date for r in found.revisions] == ["2026-04-01", "2026-03-02"]
    assert not found.revisions[-1].first  # its parent's registry was read, not taken as empty


def test_a_change_is_phrased_as_what_happened_in_agreement() -> None:
    """A long value added was phrased "borttagen" (RMKS's nine functions, added, read as
    removed); participles agree with their label; no raw key shows."""
    from ksctl.diffing import Change
    from ksctl.render.changes import phrase

    names = {"body:orebro/rmks": "RMKS", "person:gustav": "Gustav Ekbäck", "person:lars": "Lars"}
    seat = {"person": "gustav", "role": "chair", "as_of": "2024-04-16"}
    long = "Hälso- och sjukvårdsdirektör och ordförande i regionens ledningsgrupp för kunskap"

    def said(field: str, before: object, after: object) -> str:
        change = Change("body:orebro/rmks", "changed", field, before, after, "")
        return phrase(change, names, subject=False)

    assert said("members.function", seat, {**seat, "function": long}) == (
        "Gustav Ekbäck: funktion tillagd"
    )
    assert said("members.function", {**seat, "function": long}, seat) == (
        "Gustav Ekbäck: funktion borttagen"
    )
    assert said("members.as_of", {**seat, "as_of": "2018"}, seat) == (
        "Gustav Ekbäck: enligt källa 2018 → 2024-04-16"
    )
    # a mandate's end set or moved, and a working group's status, in a sentence
    assert said("members.to", seat, {**seat, "to": "2026-12-31"}) == (
        "Gustav Ekbäcks uppdrag som ordförande slutar 2026-12-31"
    )
    lars = {"person": "lars", "role": "member", "from": "2024-01-01"}
    assert said("members.from", lars, {**lars, "from": "2024-03-01"}) == (
        "Lars uppdrag som ledamot börjar 2024-03-01 (tidigare 2024-01-01)"  # no second s
    )
    assert said("status", "active", "dormant") == "Status pågår → vilande"
    ghost = {"person": "ghost", "role": "secretary"}  # an id with no name in the registry
    assert said("members.to", ghost, {**ghost, "to": "2027"}) == (
        "Uppdraget som sekreterare för ghost slutar 2027"
    )
    from ksctl.render.changes import genitive

    assert [genitive(n) for n in ("Eva Ek ", "Lars", "Max", "Inez", "Åsa")] == [
        "Eva Eks",
        "Lars",
        "Max",
        "Inez",
        "Åsas",
    ]
    assert said("notes", ["en"], None) == "Noteringar borttagna"
    assert said("aliases", None, ["RMKS", "Rådet"]) == "Andra namn tillagda"
    assert said("name", "Rådet", "Rådet för medicinskt kunskapsstöd") == (
        "Namn Rådet → Rådet för medicinskt kunskapsstöd"
    )
    assert said("official_name", "x" * 80, "y" * 80) == "Officiellt namn ändrat"
    added = Change("body:orebro/rmks", "added", "members", None, seat, "")
    assert (
        phrase(added, names) == "RMKS: Gustav Ekbäck införd som ordförande enligt källa 2024-04-16"
    )
    removed = Change("body:orebro/rmks", "removed", "members", seat, None, "")
    assert phrase(removed, names) == (
        "RMKS: Gustav Ekbäck som ordförande enligt källa 2024-04-16 borttagen ur registret"
    )


def test_every_field_a_change_can_name_has_a_swedish_label() -> None:
    """A field without a label showed its key ("as_of 2024-04-16") on the Swedish site."""
    import inspect

    from pydantic import BaseModel

    from ksctl import model
    from ksctl.labels import FIELD_LABELS

    settings = {model.Settings, model.Policies, model.Limits, model.Site}
    fields = {
        info.alias or name
        for cls in vars(model).values()
        if inspect.isclass(cls)
        and issubclass(cls, BaseModel)
        and cls not in settings
        and cls.__module__ == "ksctl.model"
        for name, info in cls.model_fields.items()
    }
    assert sorted(fields - set(FIELD_LABELS)) == []
