"""fmt as a person expects it: the header stays on top, open questions near the end, dates in
one plain form, seats by role then family name in Swedish order; `--check` shows the diff;
FORCE_COLOR gives colour where no terminal is."""

from __future__ import annotations

import pytest
from conftest import SETTINGS, build_tree

from ksctl.edit import format_text

REGION = "healthcare-regions/norra/healthcare-region.yaml"
PERSON = "national/people/eva-ek.yaml"
BODY = "regions/orebro/bodies/rmks.yaml"
ESC = "\x1b["


@pytest.mark.parametrize(
    "modeline",
    ["", "# yaml-language-server: $schema=../../../schemas/healthcare-region.schema.json\n"],
)
def test_a_header_comment_stays_at_the_top(modeline) -> None:
    text = (
        f"{modeline}# Källa: SKR, 2024\n# andra raden\n"
        "official_name: Norra sjukvårdsregionen\nname: Norra\n"
    )
    assert format_text(text, REGION) == (
        f"{modeline}# Källa: SKR, 2024\n# andra raden\n"
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
    )


def test_a_comment_above_a_later_key_still_moves_with_it() -> None:
    text = "# huvud\nofficial_name: Norra sjukvårdsregionen\n# om namnet\nname: Norra\n"
    assert format_text(text, REGION) == (
        "# huvud\n# om namnet\nname: Norra\nofficial_name: Norra sjukvårdsregionen\n"
    )


def test_open_questions_go_near_the_end_before_sources_and_notes() -> None:
    text = (
        "name: Norra\nopen_questions:\n  - id: vem\n    question: Vem leder?\n"
        "notes: [En anteckning.]\nsources:\n  - url: https://example.org/\n"
        "official_name: Norra sjukvårdsregionen\nparticipation_shares: []\n"
    )
    keys = [
        line.split(":")[0] for line in format_text(text, REGION).splitlines() if line[:1].isalpha()
    ]
    assert keys == [
        "name",
        "official_name",
        "participation_shares",
        "open_questions",
        "sources",
        "notes",
    ]


def test_dates_keep_one_plain_form() -> None:
    text = (
        "name: Eva Ek\nconflict_of_interest:\n  declared: 2024-01-01\n  assessed: '2024-06-01'\n"
        'sources:\n  - url: https://example.org/\n    published: "2024-06"\n'
        "    retrieved: 2026-11-22\n"
    )
    assert format_text(text, PERSON) == (
        "name: Eva Ek\nconflict_of_interest:\n  declared: 2024-01-01\n  assessed: 2024-06-01\n"
        "sources:\n  - url: https://example.org/\n    published: 2024-06\n"
        "    retrieved: 2026-11-22\n"
    )


def test_a_period_written_to_the_year_is_plain_and_other_text_keeps_its_quotes() -> None:
    text = (
        "name: Akut vård\nhosting:\n"
        "  - {host: healthcare-region:norra, from: '2018', to: \"2020-12-31\"}\n"
        "notes: ['2018']\n"
    )
    assert format_text(text, "national/programme-areas/akut-vard.yaml") == (
        "name: Akut vård\nhosting:\n"
        "  - {host: healthcare-region:norra, from: 2018, to: 2020-12-31}\n"
        "notes: ['2018']\n"
    )


def test_an_impossible_day_is_left_for_validation_to_report() -> None:
    text = "name: Eva Ek\nconflict_of_interest:\n  declared: '2024-02-30'\n"
    assert format_text(text, PERSON) == text


def test_seats_sort_by_role_then_family_name_then_given_name_in_swedish_order() -> None:
    names = {
        "p1": "Örjan Andersson",
        "p2": "Anna Östberg",
        "p3": "Bo Åkesson",
        "p4": "Cia Zetterberg",
        "p5": "ada zetterberg",
        "p6": "Eva Ängström",
        "p7": "Åsa Berg",
    }
    seats = "".join(
        f"  - {{person: {p}, role: {'chair' if p == 'p7' else 'member'}}}\n" for p in names
    )
    text = f"name: RMKS\ntype: council\nmembers:\n{seats}"
    order = [
        line.split("person: ")[1].split(",")[0]
        for line in format_text(text, BODY, names=names).splitlines()
        if "person:" in line
    ]
    # the chair first; then Andersson, Zetterberg (Ada before Cia), Åkesson, Ängström, Östberg
    assert order == ["p7", "p1", "p5", "p4", "p3", "p6", "p2"]


def test_fmt_check_shows_the_unified_diff_it_would_apply(tmp_path, run_line) -> None:
    rel = f"registry/{REGION}"
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            rel: "official_name: Norra sjukvårdsregionen\nname: Norra\n",
        },
    )
    r = run_line(["ksctl", "fmt", "--check", f"registry/{REGION}"], cwd=tmp_path)
    assert r.exit_code == 1
    assert r.stdout == (
        f"{rel}: not in canonical form\n"
        f"--- a/{rel}\n+++ b/{rel}\n@@ -1,2 +1,2 @@\n"
        "+name: Norra\n official_name: Norra sjukvårdsregionen\n-name: Norra\n"
    )
    assert (tmp_path / rel).read_text() == "official_name: Norra sjukvårdsregionen\nname: Norra\n"


COLOURFUL = {
    "registry/ksctl.yaml": SETTINGS,
    f"registry/{REGION}": "name: Norra\nofficial_name: Norra sjukvårdsregionen\nnamn: x\n",
}


@pytest.mark.parametrize(
    ("args", "said"), [(["show", "healthcare-region:norra"], "Norra"), (["validate"], "namn")]
)
def test_force_color_colours_output_that_is_no_terminal(
    tmp_path, run_line, monkeypatch, args, said
) -> None:
    build_tree(tmp_path, COLOURFUL)
    if args[0] == "show":  # a registry with an error still answers
        build_tree(tmp_path, {f"registry/{REGION}": COLOURFUL[f"registry/{REGION}"][:-8]})
    monkeypatch.delenv("NO_COLOR", raising=False)
    plain = run_line(["ksctl", *args], cwd=tmp_path)
    assert ESC not in plain.stdout and said in plain.stdout
    coloured = run_line(["ksctl", *args], cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert ESC in coloured.stdout and said in coloured.stdout
    empty = run_line(["ksctl", *args], cwd=tmp_path, env={"FORCE_COLOR": ""})
    assert ESC not in empty.stdout
    both = run_line(["ksctl", *args], cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert ESC not in both.stdout


def test_words_other_yaml_readers_take_for_booleans_stay_quoted() -> None:
    """`KS461: 'off'` unquoted is the boolean false to a YAML 1.1 reader (an editor); fmt
    never drops those quotes, and quotes a plain `off` it finds."""
    text = "version: 1\nrules:\n  KS437: 'off'\n  KS461: off\n  KS471: 'yes'\n"
    out = format_text(text, "ksctl.yaml")
    assert "KS437: 'off'" in out and "KS461: 'off'" in out and "KS471: 'yes'" in out
