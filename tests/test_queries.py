"""Queries as users type them: names in their own words, as of any date, text or JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import NATIONAL_FIXTURE, SETTINGS, build_tree

SRC = "sources:\n  - url: https://example.org/\n"
FILES = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/glossary.yaml": (
        "terms:\n"
        "  - term: RSS\n    expansion: Regional samverkans- och stödstruktur\n"
        "    explanation: Kommunernas regionala stöd.\n"
        "  - term: NPO\n    expansion: Nationellt programområde\n"
        "    explanation: Leder kunskapsstyrningen inom sitt område.\n    see: [npo:akut-vard]\n"
        "  - term: HälSam\n    expansion: Hälsa i samverkan\n"
        "    explanation: Västernorrlands struktur för samverkan mellan region och kommuner.\n"
    ),
    "registry/national/organisations/skr.yaml": "name: Sveriges Kommuner och Regioner\n"
    "abbreviation: SKR\ntype: association\nnotes: [samverkan på tjänstemannanivå]\n",
    "registry/healthcare-regions/mellansverige/healthcare-region.yaml": (
        "name: Mellansverige\nofficial_name: Sjukvårdsregion Mellansverige\n"
    ),
    "registry/healthcare-regions/vastra/healthcare-region.yaml": (
        "name: Västra\nofficial_name: Västra sjukvårdsregionen\n"
    ),
    "registry/healthcare-regions/norra/healthcare-region.yaml": (
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\nparticipation_shares:\n"
        "  - {region: norrbotten, percent: 25, as_of: 2023-08}\n"
        "  - {region: vasterbotten, percent: 75, as_of: 2023-08}\n"
    ),
    "registry/regions/orebro/region.yaml": (
        "name: Region Örebro län\ncounty_code: '18'\nhealthcare_region: mellansverige\n"
        "municipalities:\n  - {code: '1880', name: Örebro}\n"
    ),
    "registry/regions/norrbotten/region.yaml": (
        "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
    ),
    "registry/regions/vasterbotten/region.yaml": (
        "name: Region Västerbotten\ncounty_code: '24'\nhealthcare_region: norra\n"
        "municipalities:\n  - {code: '2460', name: Vännäs}\n"
    ),
    "registry/national/programme-areas/akut-vard.yaml": (
        "name: Akut vård\nhosting:\n  - host: healthcare-region:mellansverige\n"
        "    from: 2018-01-01\nmembers:\n"
        "  - {person: anna, role: chair, represents: healthcare-region:mellansverige, "
        "from: 2020-01-01, to: 2022-12-31}\n"
        "  - {person: bo, role: chair, from: 2023-01-01}\n"
        "  - {person: fia, role: process-leader, from: 2023-01-01}\n"
        "  - {person: cia, role: member, represents: region:vasterbotten}\n"
        "  - {person: dan, role: substitute}\n"
        "  - {person: eva, role: patient-representative, represents: self}\n"
        "  - {vacant: true, represents: healthcare-region:vastra}\n"
    ),
    "registry/national/programme-areas/oron-nas-och-halssjukdomar.yaml": (
        "name: Öron-, näs- och halssjukdomar\naliases: ['Öron-, näsa-, halssjukdomar']\n"
        "hosting:\n  - host: healthcare-region:mellansverige\n"
    ),
    "registry/national/programme-areas/hjart-och-karlsjukdomar.yaml": (
        "name: Hjärt- och kärlsjukdomar\naliases: [Hjärta/kärl sjukdomar]\n"
        "hosting:\n  - host: healthcare-region:mellansverige\n"
    ),
    "registry/national/programme-areas/barn-och-ungdomars-halsa.yaml": (
        "name: Barn och ungdomars hälsa\naliases: [Barn och ungas hälsa]\n"
        "hosting:\n  - host: healthcare-region:vastra\n"
    ),
    "registry/national/programme-areas/psykisk-halsa.yaml": (
        "name: Psykisk hälsa\naliases: [Psykiatri]\nhosting:\n"
        "  - {host: organisation:skr, dormant_host: vastra, from: 2018-01-01, to: 2020-12-31}\n"
        "  - {host: healthcare-region:vastra, from: 2021-01-01}\n"
    ),
    "registry/national/programme-areas/mag-och-tarmsjukdomar.yaml": (
        "name: Mag- och tarmsjukdomar\nhosting:\n  - host: healthcare-region:vastra\n"
    ),
    "registry/healthcare-regions/mellansverige/programme-areas/akut-vard.yaml": (
        "name: RPO Akut vård\nmembers:\n  - {vacant: true, represents: region:orebro}\n"
    ),
    "registry/regions/orebro/programme-areas/akut-vard.yaml": (
        "name: LPO Akut vård\nstatus: not-established\ncontact_person: anna\n"
    ),
    "registry/regions/orebro/bodies/rmks.yaml": (
        "name: Rådet för medicinskt kunskapsstöd\ntype: council\nfrom: 2020-01-01\n"
        "members:\n  - {person: anna, role: participant, function: Processägare, "
        "mandate_years: 2}\n"
    ),
    "registry/regions/orebro/people/anna.yaml": (
        "name: Anna Ståhl\ntitle: Samordnare\nemployer: region:orebro\ncontact:\n"
        "  - {type: email, value: anna@example.org}\n"
        "  - {type: email, value: kunskapsstod@example.org, public: true}\n"
    ),
    "registry/regions/norrbotten/people/bo.yaml": "name: Bo Berg\nemployer: region:norrbotten\n",
    "registry/regions/norrbotten/people/fia.yaml": "name: Fia Lund\nemployer: region:norrbotten\n",
    "registry/regions/vasterbotten/people/cia.yaml": "name: Cia Ek\n",
    "registry/regions/vasterbotten/people/dan.yaml": (
        "name: Dan Al\nemployer: region:vasterbotten\nnotes: [arbetar med sepsis]\n"
    ),
    "registry/national/people/eva.yaml": "name: Eva Patient\n",
}


@pytest.fixture
def reg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    return build_tree(tmp_path / "repo", FILES)


def _json(run_line, reg: Path, *args: str) -> tuple[int, dict]:
    r = run_line(["ksctl", *args, "--json"], cwd=reg)
    return r.exit_code, json.loads(r.stdout)


def test_the_fixture_registry_is_valid(reg, run_line) -> None:
    r = run_line(["ksctl", "validate"], cwd=reg)
    assert r.exit_code == 0, r.stdout


@pytest.mark.parametrize(
    ("words", "area"),
    [
        ("akut", "akut-vard"),
        ("Akut vård", "akut-vard"),
        ("AKUT-VARD", "akut-vard"),
        ("npo akut vård", "akut-vard"),
        ("akut vrd", "akut-vard"),
        ("ÖNH", "oron-nas-och-halssjukdomar"),
        ("oron nasa hals", "oron-nas-och-halssjukdomar"),
        ("Öron-, näsa-, halssjukdomar", "oron-nas-och-halssjukdomar"),
        ("hjärta kärl", "hjart-och-karlsjukdomar"),
        ("hjart", "hjart-och-karlsjukdomar"),
        ("barn och unga", "barn-och-ungdomars-halsa"),
        ("psykiatri", "psykisk-halsa"),
        ("npo:mag-och-tarmsjukdomar", "mag-och-tarmsjukdomar"),
    ],
)
def test_who_hosts_finds_the_area_in_the_users_words(reg, run_line, words, area) -> None:
    code, doc = _json(run_line, reg, "who-hosts", words)
    assert code == 0
    assert doc["area"]["id"] == area


def test_who_hosts_json_is_the_documented_contract(reg, run_line) -> None:
    code, doc = _json(run_line, reg, "who-hosts", "akut", "--at", "2024-05-01")
    assert code == 0
    assert {k: doc[k] for k in ("version", "area", "host", "dormant_host", "from")} == {
        "version": 2,
        "area": {"id": "akut-vard", "name": "Akut vård", "from": None, "to": None, "exists": True},
        "host": {"id": "mellansverige", "kind": "healthcare-region", "name": "Mellansverige"},
        "dormant_host": None,
        "from": "2018-01-01",
    }
    assert [p["name"] for p in doc["chair"]] == ["Bo Berg"]
    assert [p["name"] for p in doc["process_leader"]] == ["Fia Lund"]


def test_who_hosts_as_of_a_date_follows_the_hosting_history(reg, run_line) -> None:
    _, before = _json(run_line, reg, "who-hosts", "psykisk hälsa", "--at", "2019-06-01")
    assert before["host"]["id"] == "skr"
    assert before["dormant_host"] == {"id": "vastra", "kind": "healthcare-region", "name": "Västra"}
    assert before["from"] == "2018-01-01"
    _, after = _json(run_line, reg, "who-hosts", "psykisk hälsa", "--at", "2021-01-01")
    assert after["host"]["id"] == "vastra" and after["dormant_host"] is None
    _, chair = _json(run_line, reg, "who-hosts", "akut", "--at", "2021-06-01")
    assert [p["name"] for p in chair["chair"]] == ["Anna Ståhl"]


def test_who_hosts_text_names_host_dormant_host_and_since(reg, run_line) -> None:
    r = run_line(["ksctl", "who-hosts", "psykisk", "--at", "2019-01-01"], cwd=reg)
    assert r.exit_code == 0
    assert r.stdout.splitlines()[:4] == [
        "Psykisk hälsa (npo:psykisk-halsa)",
        "  host:           Sveriges Kommuner och Regioner (organisation:skr)",
        "  dormant host:   Västra (healthcare-region:vastra)",
        "  since:          2018-01-01",
    ]


def test_ambiguous_input_lists_the_candidates_and_exits_1(reg, run_line) -> None:
    r = run_line(["ksctl", "who-hosts", "hälsa"], cwd=reg)
    assert r.exit_code == 1
    assert "'hälsa' matches several national programme areas; say which" in r.stderr
    assert "  candidates:\n" in r.stderr and "    Psykisk hälsa (npo:psykisk-halsa)\n" in r.stderr
    code, doc = _json(run_line, reg, "who-hosts", "halsa")
    assert code == 1
    assert list(doc) == ["version", "error", "candidates"]
    assert doc["candidates"] == [
        {"kind": "npo", "id": "barn-och-ungdomars-halsa", "name": "Barn och ungdomars hälsa"},
        {"kind": "npo", "id": "psykisk-halsa", "name": "Psykisk hälsa"},
    ]


def test_unknown_input_exits_1_with_the_closest_suggestions(reg, run_line) -> None:
    # ("magsjuk tarm" is found: magsjuk joins "Mag-" to the start of "tarmsjukdomar")
    r = run_line(["ksctl", "who-hosts", "magsjuka tarmar"], cwd=reg)
    assert r.exit_code == 1
    assert "no national programme area matches 'magsjuka tarmar'" in r.stderr
    assert "did you mean:\n    Mag- och tarmsjukdomar (npo:mag-och-tarmsjukdomar)" in r.stderr
    r = run_line(["ksctl", "who-hosts", "qqqq"], cwd=reg)
    assert r.exit_code == 1 and "Traceback" not in r.stderr


def test_who_hosts_by_lists_what_a_healthcare_region_hosts(reg, run_line) -> None:
    _, doc = _json(run_line, reg, "who-hosts", "--by", "västra", "--at", "2019-01-01")
    assert [(a["id"], a["as"]) for a in doc["areas"]] == [
        ("barn-och-ungdomars-halsa", "host"),
        ("mag-och-tarmsjukdomar", "host"),
        ("psykisk-halsa", "dormant host"),
    ]


def test_a_bad_date_is_a_usage_error(reg, run_line) -> None:
    r = run_line(["ksctl", "who-hosts", "akut", "--at", "2024-02-30"], cwd=reg)
    assert r.exit_code == 2 and "2024-02 has no day 30 (the day does not exist)" in r.stderr


def test_members_as_of_a_date_sorted_by_role(reg, run_line) -> None:
    _, doc = _json(run_line, reg, "members", "akut", "--at", "2021-01-01")
    assert [(m["role"], (m["person"] or {}).get("name")) for m in doc["members"]] == [
        ("chair", "Anna Ståhl"),
        ("chair", "Bo Berg"),  # from 2023: upcoming, after the chair of the day
        ("member", "Cia Ek"),
        ("member", None),
        ("substitute", "Dan Al"),
        ("process-leader", "Fia Lund"),
        ("patient-representative", "Eva Patient"),
    ]
    states = {(m["person"] or {}).get("name"): m["state"] for m in doc["members"]}
    assert states["Bo Berg"] == states["Fia Lund"] == "upcoming"
    assert states["Anna Ståhl"] == "current"
    r = run_line(["ksctl", "members", "akut", "--at", "2024-01-01"], cwd=reg)
    assert re.search(r"ordförande +Bo Berg", r.stdout) and "(vacant)" in r.stdout


def test_person_lists_every_seat_and_only_public_contact_details(reg, run_line) -> None:
    _, doc = _json(run_line, reg, "person", "anna", "--at", "2024-01-01")
    assert doc["person"]["contact"] == [
        {"type": "email", "value": "kunskapsstod@example.org", "public": True}
    ]
    seats = [(s["group"]["id"], s["role"], s["current"]) for s in doc["seats"]]
    assert seats == [("orebro/rmks", "participant", True), ("akut-vard", "chair", False)]
    r = run_line(["ksctl", "person", "anna"], cwd=reg)
    assert "anna@example.org" not in r.stdout


def test_list_kinds_by_abbreviation_and_place(reg, run_line) -> None:
    _, doc = _json(run_line, reg, "list", "npo")
    assert len(doc["items"]) == 6 and {"id", "name", "kind"} <= set(doc["items"][0])
    _, doc = _json(run_line, reg, "list", "region", "--in", "norra")
    assert [i["id"] for i in doc["items"]] == ["norrbotten", "vasterbotten"]
    _, doc = _json(run_line, reg, "list", "person", "--in", "norra")
    assert [i["id"] for i in doc["items"]] == ["bo", "cia", "dan", "fia"]
    _, doc = _json(run_line, reg, "list", "lpo", "--in", "Region Örebro län")
    assert [i["id"] for i in doc["items"]] == ["orebro/akut-vard"]
    _, doc = _json(run_line, reg, "list", "body", "--at", "2019-01-01")
    assert doc["items"] == []
    r = run_line(["ksctl", "list", "planets"], cwd=reg)
    assert r.exit_code == 2 and "unknown kind 'planets'" in r.stderr


def test_show_an_npo_with_its_mirror(reg, run_line) -> None:
    _, doc = _json(run_line, reg, "show", "akut")
    rel = doc["relations"]
    assert rel["host"]["id"] == "mellansverige"
    rpo = {x["healthcare_region"]["id"]: x["rpo"] for x in rel["rpo_by_healthcare_region"]}
    assert rpo["mellansverige"]["id"] == "mellansverige/akut-vard" and rpo["norra"] is None
    lpo = {x["region"]["id"]: (x["lpo"] or {}).get("id") for x in rel["lpo_by_region"]}
    assert lpo == {"norrbotten": None, "orebro": "orebro/akut-vard", "vasterbotten": None}
    r = run_line(["ksctl", "show", "npo:akut-vard"], cwd=reg)
    assert "LPO Akut vård (lpo:orebro/akut-vard) (not established)" in r.stdout
    assert "missing" in r.stdout


@pytest.mark.parametrize(
    ("words", "kind", "ident"),
    [
        ("RPO Akut vård", "rpo", "mellansverige/akut-vard"),
        ("rpo akut vard", "rpo", "mellansverige/akut-vard"),
        ("RPO akut", "rpo", "mellansverige/akut-vard"),
        ("LPO Akut vård", "lpo", "orebro/akut-vard"),
        ("lpo akut", "lpo", "orebro/akut-vard"),
        ("NPO Akut vård", "npo", "akut-vard"),
        ("Akut vård", "npo", "akut-vard"),
        ("akut", "npo", "akut-vard"),
    ],
)
def test_the_name_of_an_rpo_or_lpo_finds_it_not_the_npo(reg, run_line, words, kind, ident) -> None:
    code, doc = _json(run_line, reg, "members", words)
    assert code == 0
    assert (doc["group"]["kind"], doc["group"]["id"]) == (kind, ident)
    code, doc = _json(run_line, reg, "show", words)
    assert code == 0
    assert (doc["entity"]["kind"], doc["entity"]["id"]) == (kind, ident)


def test_show_prefers_programme_areas_and_lists_partial_matches_across_kinds(reg, run_line) -> None:
    # "hälsa" starts a word of two NPOs and of the term HälSam: say which, don't pick the term
    code, doc = _json(run_line, reg, "show", "hälsa")
    assert code == 1
    assert doc["candidates"] == [
        {"kind": "npo", "id": "barn-och-ungdomars-halsa", "name": "Barn och ungdomars hälsa"},
        {"kind": "term", "id": "hälsam", "name": "HälSam"},
        {"kind": "npo", "id": "psykisk-halsa", "name": "Psykisk hälsa"},
    ]
    # kind:id, as the candidates give it, names each of them
    for c in doc["candidates"]:
        _, found = _json(run_line, reg, "show", f"{c['kind']}:{c['id']}")
        assert (found["entity"]["kind"], found["entity"]["id"]) == (c["kind"], c["id"])
    # an exact name still wins; a partial one of an NPO and its mirrors is the NPO
    _, doc = _json(run_line, reg, "show", "HälSam")
    assert (doc["entity"]["kind"], doc["entity"]["id"]) == ("term", "hälsam")
    _, doc = _json(run_line, reg, "show", "psykisk")
    assert (doc["entity"]["kind"], doc["entity"]["id"]) == ("npo", "psykisk-halsa")
    assert doc["data"]["id"] == "psykisk-halsa"  # the path's id, though the file omits it


def test_search_and_explain(reg, run_line) -> None:
    _, doc = _json(run_line, reg, "search", "SEPSIS")
    assert [(i["id"], i["field"]) for i in doc["items"]] == [("dan", "notes")]
    _, doc = _json(run_line, reg, "explain", "rss")
    assert doc["expansion"] == "Regional samverkans- och stödstruktur"
    r = run_line(["ksctl", "explain", "NPO"], cwd=reg)
    assert r.stdout.startswith("NPO: Nationellt programområde\n")
    assert "Akut vård (npo:akut-vard)" in r.stdout
    r = run_line(["ksctl", "explain", "XYZ"], cwd=reg)
    assert r.exit_code == 1


def test_search_matches_the_starts_of_words(reg, run_line) -> None:
    _, doc = _json(run_line, reg, "search", "Anna")  # not Vännäs, not tjänstemannanivå
    assert [(i["id"], i["field"]) for i in doc["items"]] == [("anna", "name")]
    _, doc = _json(run_line, reg, "search", "stahl ANNA")  # any order, no diacritics
    assert [i["id"] for i in doc["items"]] == ["anna"]
    _, doc = _json(run_line, reg, "search", "vannas")
    assert [(i["id"], i["kind"]) for i in doc["items"]] == [("2460", "municipality")]
    _, doc = _json(run_line, reg, "search", "tjänsteman")
    assert [(i["id"], i["field"]) for i in doc["items"]] == [("skr", "notes")]
    _, doc = _json(run_line, reg, "search", "nna")
    assert doc["items"] == []


def test_explain_finds_a_term_by_its_expansion(reg, run_line) -> None:
    code, doc = _json(run_line, reg, "explain", "Nationellt programområde")
    assert code == 0 and doc["term"] == "NPO"
    code, doc = _json(run_line, reg, "explain", "regional samverkans och stodstruktur")
    assert code == 0 and doc["term"] == "RSS"
    code, _ = _json(run_line, reg, "explain", "Nationellt")  # the expansion only as a whole
    assert code == 1


def test_stats_computes_national_shares_and_representation(reg, run_line) -> None:
    _, doc = _json(run_line, reg, "stats", "--at", "2024-01-01")
    norra = next(s for s in doc["national_seat_shares"] if s["healthcare_region"]["id"] == "norra")
    # Bo and Fia (employed by Norrbotten) hold a seat each; Cia represents Västerbotten;
    # Dan is employed there: 2 + 2 of 4 seats.
    assert norra["seats"] == 4
    assert [
        (r["region"]["id"], r["seats"], r["share"], r["published"]) for r in norra["regions"]
    ] == [("norrbotten", 2, 50.0, 25.0), ("vasterbotten", 2, 50.0, 75.0)]
    assert doc["patient_representation"] == {
        "groups_with_members": 2,
        "with_patient_representative": 1,
        "share": 50.0,
    }
    assert [(g["id"], g["vacant"]) for g in doc["groups_with_vacant_seats"]] == [
        ("akut-vard", 1),
        ("mellansverige/akut-vard", 1),
    ]
    assert doc["counts"]["npo"] == 6 and doc["levels"]["local"]["lpo"] == 1


# ------------------------------------------------------------------ matching on the real registry

NATIONAL = ["--registry", str(NATIONAL_FIXTURE)]


@pytest.fixture(scope="module")
def national_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("national-cache"))


@pytest.fixture
def ask(run_line, national_cache):
    """`ksctl ARGS... --registry <the real registry>`, its cache shared by the module."""
    return lambda *args: run_line(
        ["ksctl", *args, *NATIONAL], env={"KSCTL_CACHE_DIR": national_cache}
    )


# What each command's envelope calls the entity it found.
FOUND = {
    "who-hosts": lambda doc: doc["area"]["id"],
    "members": lambda doc: doc["group"]["id"],
    "person": lambda doc: doc["person"]["id"],
    "explain": lambda doc: doc["term"],
    "show": lambda doc: doc["entity"]["id"],
}


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("who-hosts", "test"),
        ("who-hosts", "gustav"),
        ("who-hosts", "region"),
        ("who-hosts", "diabetes"),
        ("who-hosts", "anna"),
        ("who-hosts", "es"),  # no acronym of two letters: Endokrina sjukdomar is not "es"
        ("members", "anna-stahl"),
        ("members", "stahl"),
        ("explain", "kunskapsstöd"),
        ("person", "region"),
        ("person", "test"),
    ],
)
def test_nonsense_matches_nothing_and_exits_1(ask, command, words) -> None:
    r = ask(command, words, "--json")
    assert r.exit_code == 1, r.stdout
    doc = json.loads(r.stdout)
    assert doc["error"].startswith("no "), doc
    r = ask(command, words)
    assert r.exit_code == 1 and f"matches {words!r}" in r.stderr


@pytest.mark.parametrize(
    ("command", "words", "found"),
    [
        ("who-hosts", "akut vrd", "akut-vard"),
        ("who-hosts", "psykisk hlsa", "psykisk-halsa"),
        ("who-hosts", "cancr", "cancersjukdomar"),
        ("who-hosts", "cancersjukdommar", "cancersjukdomar"),
        ("who-hosts", "ögonsjukdomr", "ogonsjukdomar"),
        ("who-hosts", "levnadsvanr", "levnadsvanor"),
        ("who-hosts", "oron nasa hals", "oron-nas-och-halssjukdomar"),
        ("who-hosts", "ÖNH", "oron-nas-och-halssjukdomar"),
        ("who-hosts", "hjärta kärl", "hjart-och-karlsjukdomar"),
        ("who-hosts", "barn och unga", "barn-och-ungdomars-halsa"),
        ("who-hosts", "endokrin", "endokrina-sjukdomar"),
        ("who-hosts", "regionala cancercentrum", "cancersjukdomar"),
        ("members", "patientsakerhte", "patientsakerhet"),
        ("members", "data o analys", "data-och-analys"),
        ("person", "anna stål", "anna-stahl"),
        ("person", "gustaf ekback", "gustav-ekback"),
        ("explain", "nsks", "NSK-S"),
    ],
)
def test_typos_and_partial_words_still_match(ask, command, words, found) -> None:
    r = ask(command, words, "--json")
    assert r.exit_code == 0, r.stdout
    assert FOUND[command](json.loads(r.stdout)) == found


def test_a_typo_of_a_healthcare_region_is_found_by_who_hosts_by(ask) -> None:
    r = ask("who-hosts", "--by", "mellansverge", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["host"]["id"] == "mellansverige"


def test_a_word_of_the_domain_is_no_partial_word(ask) -> None:
    """The word "region" is not the start of "Regionala cancercentrum i samverkan"; the
    suggestions still name the closest areas."""
    r = ask("who-hosts", "region")
    assert r.exit_code == 1
    assert "did you mean:\n    Cancersjukdomar (npo:cancersjukdomar)" in r.stderr


@pytest.mark.parametrize(
    ("command", "words", "kind", "ident"),
    [
        ("show", "RPO Akut vård", "rpo", "mellansverige/akut-vard"),
        ("members", "RPO Akut vård", "rpo", "mellansverige/akut-vard"),
        ("show", "LPO Psykisk hälsa", "lpo", "orebro/psykisk-halsa"),
        ("show", "akut vård", "npo", "akut-vard"),
        # its own name before another's alias, an alias before an acronym
        ("show", "RCC i samverkan", "organisation", "rcc-i-samverkan"),
        ("show", "RSS", "term", "rss"),  # not the acronym of "RPO Sällsynta sjukdomar"
        ("show", "SKR", "organisation", "skr"),  # an organisation before a glossary term
    ],
)
def test_an_exact_name_wins_on_the_real_registry(ask, command, words, kind, ident) -> None:
    r = ask(command, words, "--json")
    assert r.exit_code == 0, r.stdout
    found = json.loads(r.stdout)["entity" if command == "show" else "group"]
    assert (found["kind"], found["id"]) == (kind, ident)


def test_show_halsa_lists_the_programme_areas_and_the_term(ask) -> None:
    r = ask("show", "hälsa", "--json")
    assert r.exit_code == 1
    assert [c["id"] for c in json.loads(r.stdout)["candidates"]] == [
        "barn-och-ungdomars-halsa",
        "hälsam",
        "psykisk-halsa",
        "aldres-halsa-och-palliativ-vard",  # Äldres: Ä after Z
    ]


def test_search_and_coverage_as_of_a_date(reg, run_line) -> None:
    # The council exists from 2020 and the LPO from 2021: before, neither is there.
    lpo = reg / "registry/regions/orebro/programme-areas/akut-vard.yaml"
    lpo.write_text(lpo.read_text() + "from: 2021-01-01\n", encoding="utf-8")

    def found(*at: str) -> set[str]:
        r = run_line(["ksctl", "search", "rådet", "--json", *at], cwd=reg)
        return {i["id"] for i in json.loads(r.stdout)["items"]}

    assert "orebro/rmks" in found() and "orebro/rmks" in found("--at", "2020-06-01")
    assert "orebro/rmks" not in found("--at", "2019-06-01")

    def cell(*at: str) -> str:
        r = run_line(["ksctl", "stats", "--coverage", "--json", *at], cwd=reg)
        rows = {row["area"]["id"]: row for row in json.loads(r.stdout)["areas"]}
        return rows["akut-vard"]["regions"]["orebro"]

    assert cell() != "missing" and cell("--at", "2022-01-01") != "missing"
    assert cell("--at", "2020-06-01") == "missing"


# ------------------------------------------------------------- dates known to the year

AKUT = "registry/national/programme-areas/akut-vard.yaml"
YEARS = {
    AKUT: FILES[AKUT].replace("    from: 2018-01-01\n", "    from: 2018\n"),
    "registry/national/programme-areas/psykisk-halsa.yaml": (
        "name: Psykisk hälsa\naliases: [Psykiatri]\nhosting:\n"
        "  - {host: organisation:skr, dormant_host: vastra, from: 2018, to: 2020}\n"
        "  - {host: healthcare-region:vastra, from: 2021}\n"
    ),
    "registry/national/programme-areas/mag-och-tarmsjukdomar.yaml": (
        "name: Mag- och tarmsjukdomar\nhosting:\n"
        "  - {host: healthcare-region:vastra, from: 2018, to: 2024-02}\n"
        "  - {host: healthcare-region:mellansverige, from: 2024-03}\n"
    ),
}


@pytest.fixture
def years(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture registry with hosting written to the year or month, as sources give it."""
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    return build_tree(tmp_path / "years", {**FILES, **YEARS})


def test_hosting_known_to_the_year_is_valid_and_shows_as_written(years, run_line) -> None:
    r = run_line(["ksctl", "validate"], cwd=years)
    assert r.exit_code == 0, r.stdout
    code, doc = _json(run_line, years, "who-hosts", "akut", "--at", "2024-05-01")
    assert code == 0 and (doc["from"], doc["to"]) == ("2018", None)
    r = run_line(["ksctl", "who-hosts", "akut", "--at", "2024-05-01"], cwd=years)
    assert "  since:          2018" in r.stdout.splitlines()
    _, doc = _json(run_line, years, "who-hosts", "--by", "mellansverige", "--at", "2024-05-01")
    assert {a["id"]: a["from"] for a in doc["areas"]}["akut-vard"] == "2018"
    r = run_line(["ksctl", "who-hosts", "psykisk", "--at", "2019-01-01"], cwd=years)
    assert re.search(r"Västra +2018 – 2020$", r.stdout, re.MULTILINE), r.stdout


def test_a_period_written_to_the_year_or_month_runs_through_its_last_day(years, run_line) -> None:
    _, doc = _json(run_line, years, "who-hosts", "psykisk", "--at", "2020-12-31")
    assert doc["host"]["id"] == "skr"
    assert (doc["from"], doc["to"]) == ("2018", "2020")
    _, doc = _json(run_line, years, "who-hosts", "psykisk", "--at", "2021-01-01")
    assert doc["host"]["id"] == "vastra" and doc["from"] == "2021"
    _, doc = _json(run_line, years, "who-hosts", "psykisk", "--at", "2018-01-01")
    assert doc["host"]["id"] == "skr"
    _, doc = _json(run_line, years, "who-hosts", "psykisk", "--at", "2017-12-31")
    assert doc["host"] is None
    _, doc = _json(run_line, years, "who-hosts", "mag", "--at", "2024-02-29")
    assert doc["host"]["id"] == "vastra" and doc["to"] == "2024-02"
    _, doc = _json(run_line, years, "who-hosts", "mag", "--at", "2024-03-01")
    assert doc["host"]["id"] == "mellansverige" and doc["from"] == "2024-03"
    _, doc = _json(run_line, years, "list", "npo", "--at", "2020-12-31")
    assert {i["id"]: i["host"]["id"] for i in doc["items"]}["psykisk-halsa"] == "skr"


def test_first_and_last_day_of_a_date_written_to_the_year_or_month() -> None:
    from ksctl.dates import end_day, first_day
    from ksctl.domain import holds as active

    assert [first_day(d) for d in ("2018", "2020-02", "2021-06-15")] == [
        "2018-01-01",
        "2020-02-01",
        "2021-06-15",
    ]
    assert [end_day(d) for d in ("2020", "2020-02", "2021-02", "2021-06-15")] == [
        "2020-12-31",
        "2020-02-29",
        "2021-02-28",
        "2021-06-15",
    ]
    period = {"from": "2018", "to": "2020"}
    assert [active(period, d) for d in ("2017-12-31", "2018-01-01", "2020-12-31")] == [
        False,
        True,
        True,
    ]
    assert not active(period, "2021-01-01")


def test_diff_reads_a_date_rewritten_to_the_year_as_the_same_period(tmp_path: Path) -> None:
    from ksctl import diffing, loader

    before = loader.load(build_tree(tmp_path / "before", FILES) / "registry").registry
    after = loader.load(build_tree(tmp_path / "after", {**FILES, **YEARS}) / "registry").registry
    changes, _ = diffing.diff(before, after)
    summaries = [c.summary for c in changes if c.ref in ("npo:akut-vard", "npo:psykisk-halsa")]
    assert summaries == [
        "NPO Akut vård: hosting by Sjukvårdsregion Mellansverige now starts 2018 (was 2018-01-01)",
        "NPO Psykisk hälsa: hosting by SKR now starts 2018 (was 2018-01-01) and ends 2020",
        "NPO Psykisk hälsa: hosting by Västra sjukvårdsregionen now starts 2021 (was 2021-01-01)",
    ]


def test_an_area_before_it_was_set_up_has_no_host_and_no_error(reg, run_line) -> None:
    """`validate --at` a day before an area existed reported KS401 "no host", and
    who-hosts said only "none"; the area simply did not exist yet."""
    area = reg / "registry/national/programme-areas/kirurgi-och-plastikkirurgi.yaml"
    area.write_text(
        "name: Kirurgi och plastikkirurgi\nfrom: 2021\n"
        "hosting:\n  - {host: healthcare-region:vastra, from: 2021}\n",
        encoding="utf-8",
    )
    code, doc = _json(run_line, reg, "who-hosts", "kirurgi", "--at", "2020-01-01")
    assert code == 0
    assert doc["host"] is None and doc["area"]["exists"] is False
    text = run_line(["ksctl", "who-hosts", "kirurgi", "--at", "2020-01-01"], cwd=reg).stdout
    assert "none on 2020-01-01: it begins in 2021" in text
    early = run_line(["ksctl", "validate", "--at", "2020-01-01", "-f", "json"], cwd=reg)
    found = json.loads(early.stdout)["diagnostics"]
    assert "kirurgi" not in "".join(d["path"] for d in found if d["code"] == "KS401")
    # ... nor is it counted among the areas a healthcare region or region mirrors with none
    mirrors = [d["message"] for d in found if d["code"] in ("KS421", "KS422")]
    assert mirrors and not any("kirurgi" in m for m in mirrors)
    later = run_line(["ksctl", "validate", "--at", "2022-01-01", "-f", "json"], cwd=reg)
    assert any(
        "kirurgi" in d["message"]
        for d in json.loads(later.stdout)["diagnostics"]
        if d["code"] in ("KS421", "KS422")
    )
    # ... while an area that exists and has no host is still reported.
    area.write_text("name: Kirurgi och plastikkirurgi\nfrom: 2019\n", encoding="utf-8")
    late = run_line(["ksctl", "validate", "--at", "2020-01-01", "-f", "json"], cwd=reg)
    assert any(
        d["code"] == "KS401" and "kirurgi" in d["path"]
        for d in json.loads(late.stdout)["diagnostics"]
    )


def test_explain_tells_a_diagnostic_code_too(reg, run_line) -> None:
    code, doc = _json(run_line, reg, "explain", "ks473")
    assert code == 0
    assert (doc["term"], doc["matched"], doc["expansion"]) == (
        "KS473",
        "diagnostic code",
        "date-ahead",
    )
    assert "By default error" in doc["explanation"]
    r = run_line(["ksctl", "explain", "KS999"], cwd=reg)
    assert r.exit_code == 1
    assert "no diagnostic code matches 'KS999'" in r.stderr


def test_a_seat_known_from_a_source_keeps_that_date_beside_its_end() -> None:
    """`members` showed a seat with `as_of` and `to` as "… – 2026", dropping the date the
    source gave (the site said "enligt källa 2024-04-16 – 2026")."""
    from ksctl.render.views import _period

    assert _period({"as_of": "2024-04-16", "to": "2026"}) == "as of 2024-04-16 – 2026"
    assert _period({"as_of": "2024-04-16"}) == "as of 2024-04-16"
    assert _period({"from": "2023", "to": "2025", "as_of": "2024"}) == "2023 – 2025"
    assert _period({"to": "2025"}) == "… – 2025"
    assert _period({}) == ""


@pytest.mark.parametrize(
    ("command", "asked"),
    [
        (["who-hosts"], "which national programme area?"),
        (["who-hosts", "--by"], "which healthcare region or region?"),
        (["show"], "which entity?"),
        (["members"], "which group?"),
        (["person"], "which person?"),
        (["explain"], "explain what?"),
        (["search"], "search for what?"),
        (["list", "npo", "--in"], "which healthcare region or region?"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_name_is_a_usage_error(reg, run_line, command, asked, blank) -> None:
    r = run_line(["ksctl", *command, blank], cwd=reg)
    assert r.exit_code == 2, r.stderr
    assert asked in r.stderr


def test_a_mandate_given_in_years_shows_when_it_ends(tmp_path, run_line, monkeypatch) -> None:
    """A seat with `mandate_years` and no `to` read "2024-03-01 –" in members and person,
    while validate said when its mandate ends."""
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    case = Path(__file__).parent / "cases/positive/rules-clean-structure"
    r = run_line(["ksctl", "members", "nag:akut-vard/sepsis", "--at", "2025-01-01"], cwd=case)
    assert "2024-03-01 – (mandate to 2026-02-28)" in r.stdout
    r = run_line(["ksctl", "person", "bo", "--json"], cwd=case)
    seats = json.loads(r.stdout)["seats"]
    assert {s["group"]["id"]: s["mandate_ends"] for s in seats} == {
        "norrbotten/beredning": None,  # to: 2026-12-31 says it
        "vastra/akut-vard": None,
        "akut-vard": None,  # from 2024-01-01, no mandate_years
        "akut-vard/sepsis": "2026-02-28",  # two years from 2024-03-01
    }


def test_show_lists_sources_with_title_and_publication_date(tmp_path, run_line) -> None:
    """The sources table had only the address and the retrieval date, not the title or the
    publication date that KS471 and due --stale go by."""
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/national/people/eva-ek.yaml": "name: Eva Ek\nsources:\n"
            "  - title: Ledamöter\n    url: https://example.se/a\n    published: 2023-06\n"
            "    retrieved: 2026-11-01\n  - document: Protokollet\n",
        },
    )
    r = run_line(["ksctl", "show", "person:eva-ek"], cwd=tmp_path)
    rows = [line.split() for line in r.stdout.split("sources:")[1].splitlines()[1:4]]
    assert rows[0] == ["source", "published", "retrieved", "address"]
    assert rows[1] == ["Ledamöter", "2023-06", "2026-11-01", "https://example.se/a"]
    assert rows[2] == ["Protokollet"]  # no dates, no address: nothing else in its row


def test_show_gives_a_remiss_as_a_period(tmp_path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/national/knowledge-supports/vf-sepsis.yaml": "title: Sepsis\n"
            "type: vardforlopp\nremiss: {from: 2020-01-27, to: 2020-03-06}\n",
        },
    )
    r = run_line(["ksctl", "show", "knowledge-support:vf-sepsis"], cwd=tmp_path)
    assert re.search(r"^  remiss: +2020-01-27 – 2020-03-06$", r.stdout, re.M), r.stdout


def test_a_place_that_matches_several_says_so_in_plural() -> None:
    """It said "matches several healthcare region or regions"."""
    from ksctl.errors import NoMatch

    said = NoMatch("Region", "healthcare region or region", [], ambiguous=True)
    assert str(said) == "'Region' matches several healthcare regions or regions; say which"
    said = NoMatch("x", "national programme area or body", [], ambiguous=True)
    assert str(said) == "'x' matches several national programme areas or bodies; say which"
