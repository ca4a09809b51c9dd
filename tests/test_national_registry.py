"""The repository's own registry: the real national structure, complete and sourced."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ksctl import checks
from ksctl.diagnostics import Severity
from ksctl.model import Period

REGISTRY = Path(__file__).resolve().parents[1] / "registry"
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(scope="module")
def result():
    return checks.validate(REGISTRY, TODAY)


def test_zero_errors_and_only_the_known_gaps_as_warnings(result) -> None:
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert errors == []
    warnings = {d.code for d in result.diagnostics if d.severity is Severity.WARNING}
    assert warnings <= {"KS421", "KS422", "KS423"}  # listed in the README as known gaps


def test_healthcare_regions_regions_and_municipalities(result) -> None:
    reg = result.registry
    assert len(reg.of_kind("healthcare-region")) == 6
    assert len(reg.of_kind("region")) == 21
    munis = reg.of_kind("municipality")
    assert len(munis) == 290
    for code, m in munis.items():
        region = m.path.split("/regions/")[1].split("/")[0]
        county = reg.get("region", region).model.county_code
        assert len(code) == 4 and code[:2] == county, code
    mellansverige = [
        r for r in reg.of_kind("region").values() if r.model.healthcare_region == "mellansverige"
    ]
    assert len(mellansverige) == 7
    assert sum(len(r.model.municipalities) for r in mellansverige) == 80


def test_programme_areas_each_with_exactly_one_current_host(result) -> None:
    areas = result.registry.of_kind("npo")
    assert sum(1 for a in areas.values() if a.model.category == "npo") == 25
    assert [a.id for a in areas.values() if a.model.category == "council"] == ["primarvardsradet"]
    for area in areas.values():
        current = [h for h in area.model.hosting if Period.active_on(h, TODAY)]
        assert len(current) == 1, area.id
        if current[0].host == "organisation:skr":
            assert current[0].dormant_host is not None, area.id


def test_hosting_history_of_psykisk_halsa(result) -> None:
    area = result.registry.get("npo", "psykisk-halsa").model
    assert [(h.host, h.dormant_host, str(h.from_), str(h.to)) for h in area.hosting] == [
        ("organisation:skr", "vastra", "2018-01-01", "2020-12-31"),
        ("healthcare-region:vastra", None, "2021-01-01", "None"),
    ]


def test_mellansverige_has_an_rpo_for_every_national_area(result) -> None:
    reg = result.registry
    rpos = {i.split("/")[1] for i in reg.of_kind("rpo") if i.startswith("mellansverige/")}
    assert rpos == set(reg.of_kind("npo"))


def test_norra_published_shares(result) -> None:
    norra = result.registry.get("healthcare-region", "norra").model
    shares = {s.region: s.percent for s in norra.participation_shares}
    assert shares == {
        "norrbotten": 12,
        "jamtland-harjedalen": 17,
        "vasternorrland": 13,
        "vasterbotten": 58,
    }
    assert sum(shares.values()) == 100
    assert {s.as_of for s in norra.participation_shares} == {"2023-08"}


def test_orebro_council_and_process(result) -> None:
    reg = result.registry
    rmks = reg.get("body", "orebro/rmks").model
    assert len(rmks.members) == 9
    assert [s.person for s in rmks.members if s.role == "chair"] == ["gustav-ekback"]
    assert sum(1 for s in rmks.members if s.mandate_years == 2) == 4
    assert reg.get("region", "orebro").model.local_process == "Kunskapsstödsprocessen"
    assert reg.get("body", "orebro/rmks-referensgrupp").model.parent == "orebro/rmks"


def test_every_entity_carries_a_source_and_uncertainty_is_in_data(result) -> None:
    reg = result.registry
    for entity in reg:
        if entity.loc or entity.model is None:
            continue  # municipalities share their region's sources
        assert entity.model.sources, entity.path
    assert len(reg.settings.open_questions) >= 5
    assert reg.get("npo", "reumatiska-sjukdomar").model.confidence == "low"
    halland = reg.get("municipality", "1384").model
    assert halland.healthcare_region == "vastra" and halland.confidence == "medium"


def test_glossary_has_every_abbreviation_the_seeds_use(result) -> None:
    terms = set(result.registry.of_kind("term"))
    for abbreviation in [
        "npo",
        "rpo",
        "lpo",
        "nag",
        "rag",
        "lag",
        "nsg",
        "rsg",
        "lsg",
        "rcc",
        "rcn",
        "rco",
        "rss",
        "nkk",
        "hta",
        "nrf",
        "rsk",
        "bg",
        "sks",
        "skr",
        "svf",
        "vip",
        "rmks",
        "mas",
        "mar",
    ]:
        assert abbreviation in terms, abbreviation


def test_public_contact_mailboxes_only(result) -> None:
    reg = result.registry
    assert [c.value for c in reg.get("region", "vasternorrland").model.contact] == [
        "kunskapsstyrning@rvn.se"
    ]
    for person in reg.of_kind("person").values():
        assert person.model.contact == [], person.id
