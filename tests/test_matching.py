"""Names as Swedish writes them: shortened compounds ("Lung- och allergisjukdomar" is
lungsjukdomar too), an alias in parentheses, and every query saying how it read a name that
it did not find exactly."""

from __future__ import annotations

import json

import pytest
from conftest import NATIONAL_FIXTURE, SETTINGS, build_tree

from ksctl.match import compounds

NATIONAL = ["--registry", str(NATIONAL_FIXTURE)]


@pytest.fixture(scope="module")
def national_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("national-cache"))


@pytest.fixture
def ask(run_line, national_cache):
    return lambda *args: run_line(
        ["ksctl", *args, *NATIONAL], env={"KSCTL_CACHE_DIR": national_cache}
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Lung- och allergisjukdomar", [("lung", "allergisjukdomar")]),
        (
            "Öron-, näs- och halssjukdomar",
            [("oron", "halssjukdomar"), ("nas", "halssjukdomar")],
        ),
        ("Öron-, näsa- halssjukdomar", [("oron", "halssjukdomar"), ("nasa", "halssjukdomar")]),
        ("Insatsområde rehabilitering huvud- och halscancer", [("huvud", "halscancer")]),
        ("Carl-Peter Anderberg", []),
        ("Akut vård", []),
        ("Lung -", []),
    ],
)
def test_the_shortened_compounds_of_a_name(name, expected) -> None:
    assert compounds(name) == expected


@pytest.mark.parametrize(
    ("words", "area"),
    [
        ("öronsjukdomar", "oron-nas-och-halssjukdomar"),
        ("öron sjukdomar", "oron-nas-och-halssjukdomar"),
        ("nässjukdomar", "oron-nas-och-halssjukdomar"),
        ("halssjukdomar", "oron-nas-och-halssjukdomar"),
        ("lungsjukdomar", "lung-och-allergisjukdomar"),
        ("allergisjukdomar", "lung-och-allergisjukdomar"),
        ("hjärtsjukdomar", "hjart-och-karlsjukdomar"),
        ("hudsjukdomar", "hud-och-konssjukdomar"),
        ("njursjukdomar", "njur-och-urinvagssjukdomar"),
        ("njur sjukdomar", "njur-och-urinvagssjukdomar"),
        ("lungsjukdom", "lung-och-allergisjukdomar"),  # the start of the word
        ("Öron-, näs- och halssjukdomar (ÖNH)", "oron-nas-och-halssjukdomar"),
        ("ÖNH (Öron-, näs- och halssjukdomar)", "oron-nas-och-halssjukdomar"),
        ("Lung- och allergisjukdomar (LoA)", "lung-och-allergisjukdomar"),
    ],
)
def test_a_shortened_compound_finds_its_area_not_a_lookalike(ask, words, area) -> None:
    r = ask("who-hosts", words, "--json")
    assert r.exit_code == 0, r.stdout
    doc = json.loads(r.stdout)
    assert doc["area"]["id"] == area
    assert doc["matched"] in ("exact", "partial")
    assert r.stderr == ""


def test_a_name_and_its_alias_in_parentheses_read_exactly(ask) -> None:
    r = ask("who-hosts", "Öron-, näs- och halssjukdomar (ÖNH)", "--json")
    assert json.loads(r.stdout)["matched"] == "exact"


def test_a_name_and_an_alias_of_another_area_in_parentheses_is_ambiguous(ask) -> None:
    r = ask("who-hosts", "Akut vård (ÖNH)", "--json")
    assert r.exit_code == 1
    assert {c["id"] for c in json.loads(r.stdout)["candidates"]} == {
        "akut-vard",
        "oron-nas-och-halssjukdomar",
    }


def test_a_compound_of_no_area_is_still_no_match(ask) -> None:
    r = ask("who-hosts", "lungar", "--json")
    assert json.loads(r.stdout).get("area", {}).get("id") != "lung-och-allergisjukdomar"


def test_a_suggestion_says_which_of_its_names_resembles_the_query(tmp_path, run_line) -> None:
    """'kardiologi' suggested Endokrina sjukdomar with no reason given: the alias
    Endokrinologi is what resembles it, and the suggestion says so."""
    files = {
        "registry/ksctl.yaml": SETTINGS,
        "registry/national/programme-areas/endokrina-sjukdomar.yaml": (
            "name: Endokrina sjukdomar\naliases: [Endokrinologi]\n"
        ),
        "registry/national/programme-areas/akut-vard.yaml": "name: Akut vård\n",
    }
    build_tree(tmp_path, files)
    r = run_line(["ksctl", "who-hosts", "kardiologi"], cwd=tmp_path)
    assert r.exit_code == 1
    assert "    Endokrina sjukdomar (npo:endokrina-sjukdomar), as 'Endokrinologi'" in r.stderr
    r = run_line(["ksctl", "who-hosts", "endokrin sjukdom"], cwd=tmp_path)
    assert "as 'Endokrinologi'" not in r.stderr  # its own name is the closer one


# ------------------------------------------------------------------ how a name was read

REGISTRY = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/glossary.yaml": (
        "terms:\n  - term: NPO\n    expansion: Nationellt programområde\n"
        "    explanation: Leder kunskapsstyrningen inom sitt område.\n"
        "  - term: HälSam\n    expansion: Hälsa i samverkan\n"
        "    explanation: Västernorrlands struktur för samverkan.\n"
    ),
    "registry/healthcare-regions/mellansverige/healthcare-region.yaml": (
        "name: Mellansverige\nofficial_name: Sjukvårdsregion Mellansverige\n"
    ),
    "registry/regions/orebro/region.yaml": (
        "name: Region Örebro län\ncounty_code: '18'\nhealthcare_region: mellansverige\n"
    ),
    "registry/national/programme-areas/akut-vard.yaml": (
        "name: Akut vård\nhosting:\n  - {host: healthcare-region:mellansverige, from: 2018}\n"
    ),
}


@pytest.mark.parametrize(
    ("args", "key", "name"),
    [
        (["who-hosts", "akut vrd"], "area", "Akut vård"),
        (["who-hosts", "--by", "mellansverge"], "host", "Mellansverige"),
        (["list", "lpo", "--in", "mellansverge"], "in", "Mellansverige"),
        (["members", "akut vrd"], "group", "Akut vård"),
        (["show", "akut vrd"], "entity", "Akut vård"),
        (["explain", "hälsamm"], "term", "HälSam"),
    ],
)
def test_every_query_says_when_it_read_a_name_fuzzily(tmp_path, run_line, args, key, name) -> None:
    build_tree(tmp_path, REGISTRY)
    r = run_line(["ksctl", *args, "--json"], cwd=tmp_path)
    assert r.exit_code == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["matched"] == "fuzzy"
    assert (doc[key]["name"] if isinstance(doc[key], dict) else doc[key]) == name
    assert "no exact match; read as" in r.stderr and name in r.stderr
    text = run_line(["ksctl", *args], cwd=tmp_path)
    assert text.exit_code == 0 and f"read as {name}" in text.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["who-hosts", "--by", "mellansverige"],
        ["list", "lpo", "--in", "mellansverige"],
        ["explain", "NPO"],
    ],
)
def test_an_exact_name_is_read_without_a_note(tmp_path, run_line, args) -> None:
    build_tree(tmp_path, REGISTRY)
    r = run_line(["ksctl", *args, "--json"], cwd=tmp_path)
    assert r.exit_code == 0 and r.stderr == ""
    assert json.loads(r.stdout)["matched"] == "exact"
