"""What the site's pages show: the language of free-text notes, contact details on
national programme areas, each region's handling of a knowledge support, the footer's
data date and commit, a registry's own templates, the progress of an export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ksctl.render.site import text_language

CASE = Path(__file__).parent / "cases/positive/rules-clean-structure"
NPO = "registry/national/programme-areas/akut-vard.yaml"
ENGLISH = "2021 official wording counts it apart from the 26 NPO; host only from seed"
SWEDISH = "Hette Sveriges Kommuner och Landsting (SKL) till 2019."


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(CASE / "registry", root / "registry")
    return root


def _export(run_line, repo: Path, *args: str) -> None:
    r = run_line(["ksctl", "export", *args], cwd=repo)
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (ENGLISH, "en"),
        ("host not found", "en"),
        ("formerly Landstinget Blekinge", "en"),
        ("older sources write Stockholm och Gotlands sjukvårdsregion", "en"),
        ("approved at the same SKS meeting as hjärtsvikt", "en"),
        (SWEDISH, "sv"),
        ("Mandatperiodernas start är inte publicerad.", "sv"),
        ("Tar fram nationella riktlinjer.", "sv"),  # no function word: the site's language
        ("municipal_participation: false betyder bara att området inte fanns", "sv"),
        ("Samverkar med Västra sjukvårdsregionen (SFS 1982:777 i lydelse 1997:927)", "sv"),
    ],
)
def test_text_language_tells_english_notes_from_swedish(text: str, lang: str) -> None:
    assert text_language(text) == lang


def test_english_notes_are_marked_lang_en(repo, run_line, tmp_path) -> None:
    npo = repo / NPO
    npo.write_text(
        npo.read_text(encoding="utf-8") + f"notes:\n  - '{ENGLISH}'\n  - '{SWEDISH}'\n",
        encoding="utf-8",
    )
    _export(run_line, repo, "--html", str(tmp_path / "site"), "--markdown", str(tmp_path / "md"))
    page = (tmp_path / "site/npo/akut-vard.html").read_text(encoding="utf-8")
    assert f'<li lang="en">{ENGLISH}</li>' in page
    assert f"<li>{SWEDISH}</li>" in page
    assert page.count('lang="en"') == 1
    markdown = (tmp_path / "md/npo/akut-vard.md").read_text(encoding="utf-8")
    assert f"- {ENGLISH}\n" in markdown


COUNCIL = "registry/national/programme-areas/primarvardsradet.yaml"


@pytest.fixture
def contacts_repo(repo: Path) -> Path:
    npo = repo / NPO
    npo.write_text(
        npo.read_text(encoding="utf-8") + "contact:\n"
        "  - {type: email, value: npo-akut@example.org, public: true}\n"
        "  - {type: email, value: hemlig-npo@example.org}\n",
        encoding="utf-8",
    )
    (repo / COUNCIL).write_text(
        "name: Nationellt primärvårdsråd\ncategory: council\n"
        "hosting:\n  - {host: healthcare-region:vastra, from: 2020-01-01}\n"
        "contact:\n"
        "  - {type: url, value: 'https://example.org/primarvard', public: true}\n"
        "  - {type: phone, value: '010-123 45 67'}\n",
        encoding="utf-8",
    )
    return repo


def test_npo_and_council_pages_show_public_contacts(contacts_repo, run_line, tmp_path) -> None:
    _export(run_line, contacts_repo, "--html", str(tmp_path / "site"))
    npo = (tmp_path / "site/npo/akut-vard.html").read_text(encoding="utf-8")
    assert '<a href="mailto:npo-akut@example.org">npo-akut@example.org</a>' in npo
    assert "<dt>Kontakt</dt>" in npo
    assert "hemlig-npo" not in npo
    council = (tmp_path / "site/npo/primarvardsradet.html").read_text(encoding="utf-8")
    assert "Nationellt primärvårdsråd</dd>" in council
    assert '<a href="https://example.org/primarvard">' in council
    assert "123 45 67" not in council


def test_npo_and_council_pages_show_private_contacts_only_when_asked(
    contacts_repo, run_line, tmp_path
) -> None:
    _export(run_line, contacts_repo, "--html", str(tmp_path / "site"), "--include-private")
    npo = (tmp_path / "site/npo/akut-vard.html").read_text(encoding="utf-8")
    assert '<a href="mailto:hemlig-npo@example.org">' in npo
    council = (tmp_path / "site/npo/primarvardsradet.html").read_text(encoding="utf-8")
    assert '<a href="tel:0101234567">010-123 45 67</a>' in council
