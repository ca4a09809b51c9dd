"""Messages people can act on: YAML mistakes in plain words, Swedish keys and values answered
with the English ones, counts that agree in number, -h, and `new` naming its own options."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, SETTINGS, build_tree

from ksctl import yamlio
from ksctl.cli import COMMANDS
from ksctl.render.report import plural

# ------------------------------------------------------------------ YAML syntax in plain words


@pytest.mark.parametrize(
    ("text", "position", "words", "hint"),
    [
        (
            "name: X\n  title: Y\n",
            (2, 8),
            "the line is indented more than the key above it",
            "indent it as the key above it",
        ),
        (
            "name: X\nmembers:\n  - person: a\n      role: chair\n",
            (4, 11),
            "the line is indented more than the key above it",
            "indent it as the key above it",
        ),
        (
            "name: X\n- Y\n",
            (2, 1),
            "a list item where a key was expected",
            "put the list under a key that ends with a colon",
        ),
        (
            "name: X\nnotes: se även: NPO\n",
            (2, 15),
            "a colon inside a value: quote it",
            'write notes: "se även: NPO"',
        ),
        (
            "members:\n  - person: a\n    function: Ordförande: RMKS\n",
            (3, 25),
            "a colon inside a value: quote it",
            'write function: "Ordförande: RMKS"',
        ),
        (
            "members:\n  - person: a\n   role: chair\n",
            (3, 4),
            "the line is indented less than the key above it",
            "indent it as the key above it",
        ),
        (
            "name: 'X\ntitle: Y\n",
            (3, 1),
            "a quote opened on line 1 is never closed",
            "close the quote",
        ),
        ("name: @x\n", (1, 7), "a value cannot start with @: quote it", 'write name: "@x"'),
        ("name\ntitle: Y\n", (2, 6), "the line above has no colon after its key", "key: value"),
    ],
)
def test_a_yaml_mistake_keeps_its_position_and_says_what_it_is(text, position, words, hint):
    (d,) = yamlio.load(text.encode(), "f.yaml").diagnostics
    assert (d.code, (d.line, d.column)) == ("KS101", position)
    assert d.message.startswith(words + " [YAML: "), d.message
    assert d.hint is not None and hint in d.hint


@pytest.mark.parametrize(
    ("text", "hints"),
    [
        # a seat copied without its "- ": every key repeats, and keeping one would lose it
        (
            "members:\n  - person: anna\n    role: member\n    person: bo\n    role: chair\n",
            ["begin its line with '- '"] * 2,
        ),
        # a key written twice at the top, or twice within one seat, is a plain duplicate
        ("name: X\nname: Y\n", ["keep one of the two"]),
        (
            "members:\n  - person: anna\n    role: member\n    role: chair\n",
            ["keep one of the two"],
        ),
    ],
)
def test_a_duplicate_key_that_starts_a_new_item_is_told_to_add_the_dash(text, hints) -> None:
    found = yamlio.load(text.encode(), "x.yaml").diagnostics
    assert [d.code for d in found] == ["KS109"] * len(hints)
    for d, hint in zip(found, hints, strict=True):
        assert d.hint is not None and hint in d.hint


def test_a_mistake_with_nothing_plain_to_add_keeps_the_parsers_words() -> None:
    (d,) = yamlio.load(b"name: x\n%foo\n", "f.yaml").diagnostics
    assert d.code == "KS101" and "[YAML:" not in d.message and d.hint is None


# ------------------------------------------------------------------ Swedish keys and values

SWEDISH = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/mellansverige/healthcare-region.yaml": "name: Mellansverige\n",
    "registry/regions/orebro/region.yaml": (
        "name: Region Örebro län\ncounty_code: '18'\nhealthcare_region: mellansverige\n"
    ),
    "registry/regions/orebro/people/eva-ek.yaml": (
        "name: Eva Ek\narbetsgivare: region:orebro\njäv:\n  declared: 2024-01-01\n"
    ),
    "registry/regions/orebro/people/bo-ek.yaml": "namn: Bo Ek\n",
    "registry/regions/orebro/bodies/rmks.yaml": (
        "name: RMKS\ntype: council\nmembers:\n"
        "  - {person: eva-ek, role: ordförande, från: 2024}\n"
        "  - {person: eva-ek, role: deltagare, till: 2025}\n"
        "  - {person: eva-ek, roll: ledamot}\n"
        "  - {person: eva-ek, role: Ledamot}\n"
        "  - {person: eva-ek, role: chairman}\n"
    ),
    "registry/national/programme-areas/akut-vard.yaml": (
        "name: Akut vård\nvärd:\n  - {host: healthcare-region:mellansverige, from: 2018}\n"
        "ledamöter: []\n"
    ),
    "registry/regions/orebro/handling/vf-sepsis.yaml": "stage: kartläggning\n",
    "registry/regions/orebro/handling/vf-stroke.yaml": "stage: Remiss\n",
}


@pytest.mark.parametrize(
    "expected",
    [
        "unknown key 'arbetsgivare' ('arbetsgivare' is Swedish: the key is 'employer')",
        "unknown key 'jäv' ('jäv' is Swedish: the key is 'conflict_of_interest')",
        "unknown key 'namn' ('namn' is Swedish: the key is 'name')",
        "members[0].role: 'ordförande' is not one of: chair,",
        "('ordförande' is Swedish: the value is 'chair')",
        "unknown key 'från' in members[0] ('från' is Swedish: the key is 'from')",
        "('deltagare' is Swedish: the value is 'participant')",
        "unknown key 'till' in members[1] ('till' is Swedish: the key is 'to')",
        "unknown key 'roll' in members[2] ('roll' is Swedish: the key is 'role')",
        "('Ledamot' is Swedish: the value is 'member')",
        "'chairman' is not one of: chair,",
        "unknown key 'värd' ('värd' is Swedish: the key is 'hosting')",
        "unknown key 'ledamöter' ('ledamöter' is Swedish: the key is 'members')",
        # a value that is the Swedish word itself, written without å, ä and ö
        "stage: 'kartläggning' is not one of: remiss, kartlaggning,",
        "('kartläggning' is written 'kartlaggning' (without å, ä and ö))",
        "stage: 'Remiss' is not one of: remiss,",
        "(write it in lower case: 'remiss')",
    ],
)
def test_a_swedish_key_or_value_gets_the_english_one_as_its_hint(
    tmp_path, run_line, expected
) -> None:
    build_tree(tmp_path, SWEDISH)
    r = run_line(["ksctl", "validate", "--no-cache"], cwd=tmp_path)
    assert r.exit_code == 1
    assert expected in r.stdout, r.stdout


def test_an_english_typo_still_gets_the_closest_english_word(tmp_path, run_line) -> None:
    build_tree(tmp_path, SWEDISH)
    r = run_line(["ksctl", "validate", "--no-cache"], cwd=tmp_path)
    assert "'chairman' is not one of: chair," in r.stdout
    assert "(did you mean 'chair'?)" in r.stdout


# ------------------------------------------------------------------ numbers, -h, new


@pytest.mark.parametrize(
    ("n", "said"), [(0, "0 errors"), (1, "1 error"), (2, "2 errors"), (21, "21 errors")]
)
def test_a_count_agrees_in_number(n, said) -> None:
    assert plural(n, "error") == said
    assert plural(n, "match", "matches") == said.replace("errors", "matches").replace(
        "error", "match"
    )


ONE_ERROR = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/norra/healthcare-region.yaml": (
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\nnamn: x\n"
    ),
}


def test_validate_counts_one_error_and_two_errors(tmp_path, run_line) -> None:
    build_tree(tmp_path, ONE_ERROR)
    r = run_line(["ksctl", "validate", "--no-cache"], cwd=tmp_path)
    assert "2 files checked: 1 error, 0 warnings, 0 notes" in r.stdout, r.stdout
    build_tree(
        tmp_path,
        {
            "registry/healthcare-regions/vastra/healthcare-region.yaml": (
                "name: Västra\nofficial_name: Västra sjukvårdsregionen\nnamn: y\n"
            )
        },
    )
    r = run_line(["ksctl", "validate", "--no-cache"], cwd=tmp_path)
    assert "3 files checked: 2 errors, 0 warnings, 0 notes" in r.stdout, r.stdout


def test_search_counts_one_match(tmp_path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/healthcare-regions/norra/healthcare-region.yaml": (
                "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
            ),
        },
    )
    r = run_line(["ksctl", "search", "Norra"], cwd=tmp_path)
    assert r.stdout.startswith("1 match for 'Norra'\n"), r.stdout


def test_a_new_id_with_the_wrong_number_of_parts_says_part_once(tmp_path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS})
    r = run_line(["ksctl", "new", "npo", "orebro/akut-vard"], cwd=tmp_path)
    assert r.exit_code == 2 and "a npo id has 1 part: " in r.stderr, r.stderr
    # A person's place may lead its id, when it is one (not here: no regions at all).
    r = run_line(["ksctl", "new", "person", "orebro/eva-ek"], cwd=tmp_path)
    assert r.exit_code == 2, r.stderr
    assert "'orebro' is neither a region nor a healthcare region here" in r.stderr


@pytest.mark.parametrize("args", [["-h"], *[[name, "-h"] for name in COMMANDS]])
def test_h_is_help(run_line, args) -> None:
    r = run_line(["ksctl", *args])
    assert r.exit_code == 0 and r.stdout.startswith("Usage: ksctl"), r.stdout + r.stderr


def test_h_is_help_when_only_the_command_asked_for_is_built() -> None:
    for args in (["-h"], ["validate", "-h"], ["who-hosts", "-h"]):
        done = subprocess.run(
            [sys.executable, "-m", "ksctl", *args], capture_output=True, text=True, cwd=REPO
        )
        assert done.returncode == 0 and done.stdout.startswith("Usage: "), done.stderr
        assert "ksctl" in done.stdout.splitlines()[0]


@pytest.mark.parametrize("kind", ["person", "npo"])
def test_new_without_a_name_says_name_not_set(tmp_path, run_line, kind) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS})
    r = run_line(["ksctl", "new", kind, "eva-ek"], cwd=tmp_path)
    assert r.exit_code == 2
    assert "needs: name (give --name)" in r.stderr and "--set name" not in r.stderr, r.stderr


def _patterns(node: object) -> set[str]:
    """The patterns a pydantic core schema enforces on text (not the ones written for
    editors only, in JSON Schema: references and dates have checks of their own)."""
    if isinstance(node, dict):
        own = node.get("type") == "str" and isinstance(node.get("pattern"), str)
        found = {node["pattern"]} if own else set()
        return found.union(*(_patterns(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(v) for v in node))
    return set()


def test_every_pattern_of_the_schema_is_said_in_words() -> None:
    """A URL without https:// got "String should match pattern '^https?://\\S+$'"."""
    from ksctl import kinds, layout
    from ksctl.model import Settings
    from ksctl.schemacheck import _PATTERNS

    models = {layout.model_of(k) for k in kinds.entity_kinds()} | {Settings}
    for m in models:
        m.model_rebuild()  # built when first used (defer_build)
    found = set().union(*(_patterns(dict(m.__pydantic_core_schema__)) for m in models))
    assert found and found <= set(_PATTERNS), found - set(_PATTERNS)


def test_a_web_address_without_its_scheme_is_told_how_to_write_it(tmp_path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/national/people/eva-ek.yaml": "name: Eva Ek\nsources:\n"
            "  - url: www.vgregion.se\n    retrieved: 2024-02-30\n",
        },
    )
    r = run_line(["ksctl", "validate", "-f", "json"], cwd=tmp_path)
    said = {d["code"]: d for d in json.loads(r.stdout)["diagnostics"]}
    assert said["KS205"]["message"] == (
        "sources[0].url: a web address begins with https:// (or http://) and has no spaces "
        "(got 'www.vgregion.se')"
    )
    assert said["KS205"]["hint"] == "write https://www.vgregion.se"
    assert said["KS204"]["message"] == (
        "sources[0].retrieved: 2024-02-30 is not a date: 2024-02 has no day 30 "
        "(the day does not exist)"
    )


def test_an_unknown_key_is_told_where_it_belongs(tmp_path, run_line) -> None:
    """`declared` un-indented out of conflict_of_interest, and an NPO's field in a person's
    file, were "unknown key" with nothing more."""
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/national/people/eva-ek.yaml": "name: Eva Ek\nconflict_of_interest:\n"
            "declared: 2024-01-01\nmunicipal_participation: true\nnmae: Eva\nfrom: 2024\n",
        },
    )
    r = run_line(["ksctl", "validate", "-f", "json"], cwd=tmp_path)
    hints = {
        d["message"]: d["hint"] for d in json.loads(r.stdout)["diagnostics"] if d["code"] == "KS201"
    }
    assert hints == {
        "unknown key 'declared'": "'declared' belongs under conflict_of_interest:",
        "unknown key 'municipal_participation'": "only npo files take 'municipal_participation'",
        "unknown key 'nmae'": "did you mean 'name'?",
        # every group takes from: pointing at ten kinds says nothing of where it belongs
        "unknown key 'from'": None,
    }


def test_a_dangling_id_under_a_place_is_suggested_only_that_places_ids(tmp_path, run_line) -> None:
    """`responsible_lpo: orebro/akut-vard` was asked "did you mean vasterbotten/akut-vard?",
    another region's LPO."""
    lpo = "name: LPO Akut vård\n"
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/national/programme-areas/akut-vard.yaml": "name: Akut vård\n",
            "registry/regions/orebro/region.yaml": "name: Region Örebro län\n",
            "registry/regions/vasterbotten/region.yaml": "name: Region Västerbotten\n",
            "registry/regions/vasterbotten/programme-areas/akut-vard.yaml": lpo,
            "registry/regions/orebro/programme-areas/akut-vard.yaml": lpo,
            "registry/national/people/eva-ek.yaml": "name: Eva Ek\n",
            "registry/regions/orebro/handling/a.yaml": "stage: remiss\n"
            "responsible_lpo: orebro/akut-vardd\n",
            "registry/regions/vasterbotten/handling/b.yaml": "stage: remiss\n"
            "responsible_lpo: vasterbotten/psykiatri\n",
            "registry/regions/vasterbotten/handling/c.yaml": "stage: remiss\n"
            "responsible_lpo: vasterbotte/akut-vard\n",  # the place is the typo
        },
    )
    r = run_line(["ksctl", "validate", "-f", "json"], cwd=tmp_path)
    hints = {
        d["message"]: d["hint"]
        for d in json.loads(r.stdout)["diagnostics"]
        if d["message"].startswith("no lpo")
    }
    assert hints == {
        "no lpo with id 'orebro/akut-vardd'": "did you mean 'orebro/akut-vard'?",
        "no lpo with id 'vasterbotten/psykiatri'": None,
        "no lpo with id 'vasterbotte/akut-vard'": "did you mean 'vasterbotten/akut-vard'?",
    }


@pytest.mark.parametrize(
    ("value", "pattern", "hint"),
    [
        ("www.a.se", r"^https?://\S+$", "write https://www.a.se"),
        ("example.se", r"^https?://\S+/$", "write https://example.se/"),  # the site's, with /
        ("mailto:a@b.se", r"^https?://\S+$", None),
        ("a@b.se", r"^https?://\S+$", None),
        ("www.a.se/a b", r"^https?://\S+$", None),  # still no address with the scheme
        ("http//x.se", r"^https?://\S+$", None),
    ],
)
def test_a_scheme_is_suggested_only_where_it_makes_the_address_pass(value, pattern, hint) -> None:
    from ksctl.schemacheck import _with_scheme

    assert _with_scheme(value, pattern) == hint


def test_a_seat_both_vacant_and_held_is_told_what_to_remove(tmp_path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/national/people/bo.yaml": "name: Bo Ek\n",
            "registry/national/bodies/rad.yaml": (
                "name: Rådet\ntype: council\nmembers:\n  - {person: bo, vacant: true}\n"
            ),
        },
    )
    r = run_line(["ksctl", "validate"], cwd=tmp_path)
    assert r.exit_code == 1
    assert (
        "registry/national/bodies/rad.yaml:4:5: error[KS205] members[0]: a seat is vacant or "
        "held, not both: remove person or vacant: true"
    ) in r.stdout
