"""`ksctl show` as a person reads it: nested data as tables and indented lists, names instead
of ids, no `public: True`, long notes wrapped one to a line."""

from __future__ import annotations

import json

import pytest
from conftest import SETTINGS, build_tree

from ksctl.render.views import PLAIN_WIDTH, Items, View, plain

LONG_NOTE = (
    "Förbundsdirektionen beslutar om nomineringar till nationella programområden efter "
    "beredning i sjukvårdsregionens chefssamråd, och jäv prövas av ordföranden."
)
FILES = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/norra/healthcare-region.yaml": (
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
        "participation_shares:\n"
        "  - {region: norrbotten, percent: 25, as_of: 2023-08}\n"
        "  - {region: vasterbotten, percent: 75, as_of: 2023-08}\n"
        "governance:\n"
        "  - topic: nominations\n    body: norra/fd\n"
        f"    text: {LONG_NOTE}\n    confidence: medium\n"
        f"notes:\n  - {LONG_NOTE}\n  - En kort anteckning.\n"
    ),
    "registry/healthcare-regions/norra/bodies/fd.yaml": (
        "name: Förbundsdirektionen\ntype: steering-group\n"
        "tasks:\n  - {name: Nomineringar, text: Beslutar om nomineringar.}\n"
    ),
    "registry/regions/norrbotten/region.yaml": (
        "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
        "open_questions:\n  - id: vem-leder\n    question: Vem leder LPO Akut vård?\n"
        "    concerns: [region:norrbotten]\n"
    ),
    "registry/regions/vasterbotten/region.yaml": (
        "name: Region Västerbotten\ncounty_code: '24'\nhealthcare_region: norra\n"
    ),
    "registry/regions/norrbotten/people/eva-ek.yaml": (
        "name: Eva Ek\nemployer: region:norrbotten\ncontact:\n"
        "  - {type: email, value: eva@example.org, public: true}\n"
        "  - {type: phone, value: '070-000 00 00'}\n"
    ),
    "registry/national/knowledge-supports/sepsis.yaml": (
        "title: Vårdförlopp sepsis\ntype: vardforlopp\n"
    ),
    "registry/regions/norrbotten/handling/sepsis.yaml": (
        "stage: beslut\nresponsible_person: eva-ek\nsteps:\n"
        "  - {stage: remiss, date: 2024-01-10}\n  - {stage: beslut, date: 2024-03-01}\n"
        "decision:\n  date: 2024-03-01\n  by: Hälso- och sjukvårdsdirektören\n"
    ),
}


@pytest.fixture
def reg(tmp_path, monkeypatch):
    monkeypatch.setenv("KSCTL_CACHE_DIR", str(tmp_path / "cache"))
    return build_tree(tmp_path, FILES)


def _show(run_line, reg, *args: str) -> str:
    r = run_line(["ksctl", "show", *args], cwd=reg)
    assert r.exit_code == 0, r.stdout + r.stderr
    return r.stdout


def test_participation_shares_are_a_table_of_region_names(run_line, reg) -> None:
    out = _show(run_line, reg, "healthcare-region:norra")
    assert "participation shares:\n  region               percent  period\n" in out
    assert "  Region Norrbotten    25       as of 2023-08\n" in out
    assert "norrbotten," not in out and "sources:" not in out.split("regions:")[0]


def test_governance_is_an_indented_list_with_names_and_wrapped_text(run_line, reg) -> None:
    out = _show(run_line, reg, "healthcare-region:norra")
    block = out.split("governance:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block[0].startswith("  - nominations, Förbundsdirektionen: Förbundsdirektionen beslutar")
    assert all(len(line) <= PLAIN_WIDTH for line in block)
    assert block[1].startswith("    ") and not block[1].startswith("    -")
    assert block[-1] == "      confidence medium"
    assert "norra/fd" not in out


def test_notes_are_one_to_a_line_and_wrapped(run_line, reg) -> None:
    out = _show(run_line, reg, "healthcare-region:norra")
    notes = out.split("notes:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert notes[0].startswith("  - Förbundsdirektionen beslutar")
    assert notes[-1] == "  - En kort anteckning."
    assert len(notes) == 3 and all(len(line) <= PLAIN_WIDTH for line in notes)
    assert " ".join(n.strip(" -") for n in notes[:2]) == LONG_NOTE


def test_handling_steps_are_a_table_and_the_decision_a_list(run_line, reg) -> None:
    out = _show(run_line, reg, "handling:norrbotten/sepsis")
    assert "steps:\n  stage   date\n  remiss  2024-01-10\n  beslut  2024-03-01\n" in out
    assert "decision:\n  - date: 2024-03-01\n  - by: Hälso- och sjukvårdsdirektören\n" in out
    assert "responsible person: Eva Ek\n" in out


def test_tasks_and_open_questions_read_as_lists(run_line, reg) -> None:
    # short statements make a table, long ones a list (as governance above)
    assert "tasks:\n  name          text\n  Nomineringar  Beslutar om nomineringar.\n" in _show(
        run_line, reg, "body:norra/fd"
    )
    out = _show(run_line, reg, "region:norrbotten")
    assert (
        "open questions:\n  question                  concerns\n"
        "  Vem leder LPO Akut vård?  Region Norrbotten\n"
    ) in out
    assert "vem-leder" not in out


def test_contact_details_never_say_public_true(run_line, reg) -> None:
    out = _show(run_line, reg, "person:eva-ek")
    assert "contact:\n  type   value\n  email  eva@example.org\n" in out
    assert "True" not in out and "public" not in out and "070" not in out
    assert "  employer: Region Norrbotten\n" in out
    private = _show(run_line, reg, "person:eva-ek", "--include-private")
    assert "  phone  070-000 00 00 (not public)\n" in private
    assert "eva@example.org (not public)" not in private


def test_show_json_names_what_the_data_refers_to(run_line, reg) -> None:
    r = run_line(["ksctl", "show", "healthcare-region:norra", "--json"], cwd=reg)
    names = json.loads(r.stdout)["names"]
    assert names == {
        "norrbotten": "Region Norrbotten",
        "vasterbotten": "Region Västerbotten",
        "norra/fd": "Förbundsdirektionen",
    }


def test_a_list_in_a_view_wraps_in_plain_text_without_breaking_a_url() -> None:
    url = "https://example.org/" + "a" * 120
    view = View("T", tables=[Items("sources", [(f"see {url} for more", ["a detail"])])])
    assert plain(view) == f"T\n\nsources:\n  - see\n    {url}\n    for more\n      a detail\n"


def test_a_terminal_wraps_a_list_to_its_width(monkeypatch) -> None:
    from io import StringIO

    from ksctl.render import console

    monkeypatch.delenv("NO_COLOR", raising=False)
    buffer = StringIO()
    out = console.console(file=buffer, force_terminal=True)
    out.width = 50
    console.print_view(View("T", tables=[Items("notes", [(LONG_NOTE, [])])]), out)
    lines = buffer.getvalue().splitlines()
    assert "\x1b[1mnotes:" in buffer.getvalue()
    assert lines[-1].startswith("    ") and all(len(line) <= 50 for line in lines[2:])
