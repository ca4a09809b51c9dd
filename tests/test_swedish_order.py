"""Swedish alphabetical order (å, ä, ö after z; case and other accents aside) wherever the CLI
lists things by name: candidates, listings, what falls due on one day, a diff."""

from __future__ import annotations

import json

import pytest
from conftest import SETTINGS, build_tree

from ksctl import diffing, loader
from ksctl.text import name_key, sort_key

AREAS = {
    "arftliga-sjukdomar": "Ärftliga sjukdomar",
    "ogonsjukdomar": "Ögonsjukdomar",
    "endokrina-sjukdomar": "Endokrina sjukdomar",
    "zoonoser": "zoonotiska sjukdomar",
    "aldre": "Åldrandets sjukdomar",
}
SWEDISH = [
    "endokrina-sjukdomar",
    "zoonoser",
    "aldre",
    "arftliga-sjukdomar",
    "ogonsjukdomar",
]


def _registry(root, areas=AREAS):
    files = {
        "registry/ksctl.yaml": SETTINGS,
        "registry/healthcare-regions/norra/healthcare-region.yaml": (
            "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
        ),
        "registry/regions/norrbotten/region.yaml": (
            "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
        ),
        "registry/regions/norrbotten/people/eva-ek.yaml": "name: Eva Ek\n",
    }
    for ident, name in areas.items():
        files[f"registry/national/programme-areas/{ident}.yaml"] = (
            f"name: {name}\nhosting:\n  - {{host: healthcare-region:norra, from: 2018}}\n"
            "members:\n  - {person: eva-ek, role: chair, from: 2024-01-01, to: 2026-06-30}\n"
        )
    return build_tree(root, files)


def test_sort_key_puts_a_a_o_after_z_and_ignores_case_and_other_accents() -> None:
    words = ["Öst", "zeta", "Äng", "Åsa", "Émile", "eva", "Ada", "ödla"]
    assert sorted(words, key=sort_key) == [
        "Ada",
        "Émile",
        "eva",
        "zeta",
        "Åsa",
        "Äng",
        "ödla",
        "Öst",
    ]
    assert sorted(["Åsa Berg", "Bo Åkesson", "Ada Zetterberg"], key=name_key) == [
        "Åsa Berg",
        "Ada Zetterberg",
        "Bo Åkesson",
    ]


def test_ambiguous_candidates_are_in_swedish_order(tmp_path, run_line) -> None:
    _registry(tmp_path)
    r = run_line(["ksctl", "who-hosts", "sjukdomar", "--json"], cwd=tmp_path)
    assert r.exit_code == 1
    # "Ögonsjukdomar" is one word: "sjukdomar" does not start one of its words
    assert [c["id"] for c in json.loads(r.stdout)["candidates"]] == SWEDISH[:-1]
    text = run_line(["ksctl", "who-hosts", "sjukdomar"], cwd=tmp_path).stderr
    assert text.index("Endokrina") < text.index("zoonotiska") < text.index("Åldrandets")
    assert text.index("Åldrandets") < text.index("Ärftliga")


@pytest.mark.parametrize("args", [["list", "npo"], ["who-hosts", "--by", "norra"]])
def test_listings_are_in_swedish_order(tmp_path, run_line, args) -> None:
    _registry(tmp_path)
    r = run_line(["ksctl", *args, "--json"], cwd=tmp_path)
    doc = json.loads(r.stdout)
    assert [i["id"] for i in doc.get("items") or doc["areas"]] == SWEDISH


def test_what_falls_due_on_one_day_is_in_swedish_order(tmp_path, run_line) -> None:
    _registry(tmp_path)
    r = run_line(["ksctl", "due", "--at", "2026-06-01", "--within", "60d", "--json"], cwd=tmp_path)
    ends = [i["entity"]["id"] for i in json.loads(r.stdout)["items"] if i["what"] == "mandate ends"]
    assert ends == SWEDISH


def test_a_diff_lists_added_entities_in_swedish_order(tmp_path) -> None:
    before = loader.load(_registry(tmp_path / "a", {}) / "registry").registry
    after = loader.load(_registry(tmp_path / "b") / "registry").registry
    changes, _ = diffing.diff(before, after)
    added = [
        c.ref.split(":", 1)[1] for c in changes if c.change == "added" and c.ref.startswith("npo:")
    ]
    assert added == SWEDISH


def test_a_family_name_of_two_words_sorts_as_one(tmp_path, run_line) -> None:
    """Lise Bergman Nordgren is filed under B, not under N, when her file says so; the
    members, fmt's seat order and the site all read it."""
    from ksctl import edit
    from ksctl.render.site import order_name
    from ksctl.text import family_first

    assert family_first("Lise Bergman Nordgren") == "Nordgren Lise Bergman"
    assert family_first("Lise Bergman Nordgren", "Bergman Nordgren") == "Bergman Nordgren Lise"
    assert family_first("Anna Ståhl", "Ek") == "Ståhl Anna"  # not its end: the last word
    people = "registry/regions/norrbotten/people/"
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/national/programme-areas/akut-vard.yaml": (
                "name: Akut vård\nmembers:\n  - {person: lise, role: member}\n"
                "  - {person: karl, role: member}\n"
            ),
            people + "lise.yaml": "name: Lise Bergman Nordgren\nfamily_name: Bergman Nordgren\n",
            people + "karl.yaml": "name: Karl Jansson\n",
            people + "fel.yaml": "name: Bo Ek\nfamily_name: Berg\n",
        },
    )
    r = run_line(["ksctl", "members", "akut", "--json"], cwd=tmp_path)
    assert [m["person"]["name"] for m in json.loads(r.stdout)["members"]] == [
        "Lise Bergman Nordgren",
        "Karl Jansson",
    ]
    npo = (tmp_path / "registry/national/programme-areas/akut-vard.yaml").read_text()
    names = edit.person_names(tmp_path / "registry")
    formatted = edit.format_text(npo, "national/programme-areas/akut-vard.yaml", names=names)
    assert formatted.index("lise") < formatted.index("karl")
    registry = loader.load(tmp_path / "registry").registry
    lise = registry.get("person", "lise")
    assert lise is not None and order_name(lise) == "Bergman Nordgren Lise"
    r = run_line(["ksctl", "validate"], cwd=tmp_path)
    said = "fel.yaml:2:14: error[KS205] family_name: 'Berg' is not the end of the name 'Bo Ek'"
    assert said in r.stdout
