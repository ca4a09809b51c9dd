"""A small registry of every kind, as data, for the tests that compare a re-check with a cold
run (`test_scope.py`, `test_incremental.py`, `test_review_affected.py`).

The benchmark's generator (benchmarks/generate.py) makes national-scale registries; this
one makes the same shapes in a few dozen files, so that every rule has something to say
and every kind of reference is there to come and go: seats and their people, employers
(regions, municipalities, SKR), what a seat represents, hosting, `mirrors:`, aliases, a
region's healthcare region, municipality codes, a knowledge-support unit, handlings, the
glossary's `see:`. Files are kept as plain data (`Files`: path -> data, or text for a file
that no longer parses) and written with `write` in block YAML, so an edit is a change to a
dict and every diagnostic has a line of its own.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

Files = dict[str, Any]  # path relative to the registry -> data (a dict), or raw text

AT = "2026-06-01"  # the date the tests validate as of

HR = {"norra": ["norrbotten", "jamtland"], "sodra": ["skane", "blekinge"]}
COUNTY = {"norrbotten": "25", "jamtland": "23", "skane": "12", "blekinge": "10"}
AREAS = {"akut-vard": "Akut vård", "tandvard": "Tandvård", "psykisk-halsa": "Psykisk hälsa"}
SOURCE = {"url": "https://example.org/kunskapsstyrning", "retrieved": "2026-05-01"}
OLD_SOURCE = {"url": "https://example.org/gammal", "published": "2019-03"}


def seat(person: str, role: str = "member", **more: Any) -> dict[str, Any]:
    return {"person": person, "role": role, **more}


def make() -> Files:
    """The registry: about fifty files, every kind, a few deliberate problems."""
    f: Files = {
        # Every rule on: the point is to compare all of them.
        "ksctl.yaml": {"version": 1, "policies": {"coi_interval_years_by_region": {"skane": 1}}},
        "glossary.yaml": {
            "terms": [
                {
                    "term": "NPO",
                    "expansion": "Nationellt programområde",
                    "explanation": "Leder kunskapsstyrningen inom ett område.",
                    "see": ["npo:akut-vard"],
                },
                {
                    "term": "LPO",
                    "expansion": "Lokalt programområde",
                    "explanation": "Speglar ett nationellt område i en region.",
                    "see": ["lpo:skane/akut-vard", "region:skane"],
                },
            ]
        },
        "national/system.yaml": {"name": "Nationellt system för kunskapsstyrning"},
        "national/organisations/skr.yaml": {
            "name": "Sveriges Kommuner och Regioner",
            "abbreviation": "SKR",
            "type": "association",
            "sources": [SOURCE],
        },
        "national/organisations/patientforeningen.yaml": {
            "name": "Patientföreningen",
            "type": "patient-organisation",
        },
        "national/bodies/styrgrupp.yaml": {
            "name": "Styrgruppen",
            "type": "steering-group",
            "organisation": "skr",
            "members": [seat("anna", "chair", **{"from": "2024-01-01"}), seat("bo")],
            "sources": [OLD_SOURCE],
        },
        "national/knowledge-supports/vf-sepsis.yaml": {
            "title": "Vårdförlopp sepsis",
            "type": "vardforlopp",
            "owner": "npo:akut-vard",
            "sources": [SOURCE],
        },
        "national/knowledge-supports/vp-karies.yaml": {
            "title": "Vårdprogram karies",
            "type": "vardprogram",
            "owner": "npo:tandvard",
        },
    }
    codes: dict[str, list[str]] = {}
    for hr, regions in HR.items():
        f[f"healthcare-regions/{hr}/healthcare-region.yaml"] = {
            "name": hr.capitalize(),
            "official_name": f"Sjukvårdsregion {hr.capitalize()}",
            "sources": [SOURCE],
        }
        for region in regions:
            county = COUNTY[region]
            codes[region] = [f"{county}80", f"{county}81"]
            f[f"regions/{region}/region.yaml"] = {
                "name": f"Region {region.capitalize()}",
                "county_code": county,
                "healthcare_region": hr,
                "municipalities": [{"code": c, "name": f"Kommun {c}"} for c in codes[region]],
                "sources": [SOURCE],
            }
    f["regions/norrbotten/region.yaml"]["knowledge_support_unit"] = "norrbotten/ksg"
    f["regions/blekinge/region.yaml"]["municipalities"][1]["healthcare_region"] = "norra"
    f["regions/norrbotten/bodies/ksg.yaml"] = {
        "name": "Kunskapsstödsgruppen",
        "type": "knowledge-support-unit",
        "members": [seat("cecilia", "chair")],
    }
    people = {
        "anna": ("national/people", "organisation:skr", "2019-01-15", "2025-02-01"),
        "bo": ("regions/norrbotten/people", "region:norrbotten", "2024-01-10", None),
        "cecilia": ("regions/norrbotten/people", "municipality:2580", "2023-05-01", "2025-05-01"),
        "david": ("regions/jamtland/people", "region:jamtland", None, None),
        "eva": ("regions/skane/people", "region:skane", "2024-03-01", "2025-03-01"),
        "fredrik": ("regions/skane/people", "municipality:1281", "2022-01-01", None),
        "gun": ("regions/blekinge/people", "region:blekinge", "2025-01-01", "2026-01-01"),
        "hans": ("regions/blekinge/people", "municipality:1081", "2020-01-01", "2020-06-01"),
        "ida": ("healthcare-regions/sodra/people", "region:skane", "2024-06-01", None),
        "jon": ("national/people", None, None, None),
        "karin": ("regions/skane/people", "organisation:patientforeningen", None, None),
    }
    for pid, (folder, employer, declared, assessed) in people.items():
        data: dict[str, Any] = {"name": f"{pid.capitalize()} Svensson", "title": "Överläkare"}
        if employer:
            data["employer"] = employer
        if declared:
            coi = {"declared": declared}
            if assessed:
                coi["assessed"] = assessed
            data["conflict_of_interest"] = coi
        f[f"{folder}/{pid}.yaml"] = data
    hosts = {"akut-vard": "healthcare-region:norra", "tandvard": "organisation:skr"}
    for area, name in AREAS.items():
        hosting: dict[str, Any] = {"host": hosts.get(area, "healthcare-region:sodra")}
        hosting["from"] = "2018"
        if area == "tandvard":
            hosting["dormant_host"] = "sodra"
        f[f"national/programme-areas/{area}.yaml"] = {
            "name": name,
            "hosting": [hosting],
            "members": [],
            "sources": [SOURCE],
        }
    f["national/programme-areas/akut-vard.yaml"]["aliases"] = ["Akutsjukvård"]
    f["national/programme-areas/akut-vard.yaml"]["members"] = [
        seat("anna", "chair", **{"from": "2024-01-01", "mandate_years": 3}),
        seat("bo", represents="healthcare-region:norra", **{"from": "2025-01-01"}),
        seat("eva", **{"from": "2025-01-01", "mandate_years": 2}),
        seat("fredrik", "patient-representative", represents="municipality:1281"),
    ]
    f["national/programme-areas/tandvard.yaml"]["members"] = [
        seat("cecilia", "chair", **{"from": "2021-01-01", "mandate_years": 4}),
        seat("ida", represents="healthcare-region:sodra"),
        {"vacant": True, "represents": "healthcare-region:norra"},
    ]
    f["national/programme-areas/psykisk-halsa.yaml"]["aliases"] = ["akutsjukvard"]
    f["national/programme-areas/psykisk-halsa.yaml"]["hosting"] = [
        {"host": "healthcare-region:sodra", "from": "2018", "to": "2020"},
        {"host": "healthcare-region:norra", "from": "2022-01-01"},
    ]
    f["national/programme-areas/psykisk-halsa.yaml"]["members"] = [
        seat("ida", represents="region:skane", **{"from": "2025-01-01"}),
        seat("gun", **{"from": "2025-01-01"}),
    ]
    f["national/collaboration-groups/lakemedel.yaml"] = {
        "name": "NSG Läkemedel",
        "hosting": [{"host": "organisation:patientforeningen", "from": "2019-01-01"}],
        "members": [seat("gun", "chair"), seat("david")],
    }
    f["national/working-groups/akut-vard/sepsis.yaml"] = {
        "name": "NAG Sepsis",
        "nomination": {"deadline": "2026-09-01"},
        "members": [seat("bo", "chair"), seat("gun", **{"from": "2024-01-01", "to": "2027-12"})],
    }
    f["national/working-groups/tandvard/karies.yaml"] = {
        "name": "NAG Karies",
        "members": [seat("cecilia", "chair"), seat("david", **{"to": "2025-12-31"})],
    }
    for hr, area in (("norra", "akut-vard"), ("norra", "tandvard"), ("sodra", "akut-vard")):
        regions = HR[hr]
        f[f"healthcare-regions/{hr}/programme-areas/{area}.yaml"] = {
            "name": f"RPO {AREAS[area]}",
            "members": [
                seat("bo" if hr == "norra" else "eva", "chair", represents=f"region:{regions[0]}"),
                seat("david" if hr == "norra" else "gun", represents=f"region:{regions[1]}"),
            ],
        }
    f["healthcare-regions/norra/programme-areas/tandvard.yaml"]["members"].append(
        seat("cecilia", represents="region:norrbotten")
    )
    f["healthcare-regions/norra/programme-areas/tandvard.yaml"]["members"].append(
        seat("jon", "adjunct", represents="region:norrbotten")
    )
    f["healthcare-regions/sodra/programme-areas/psyk.yaml"] = {
        "name": "RPO Psykiatri",
        "mirrors": "psykisk-halsa",
    }
    f["healthcare-regions/norra/collaboration-groups/lakemedel.yaml"] = {
        "name": "RSG Läkemedel",
        "members": [seat("david", "chair")],
    }
    f["healthcare-regions/norra/working-groups/akut-vard/trauma.yaml"] = {
        "name": "RAG Trauma",
        "members": [seat("cecilia", "chair"), seat("bo")],
    }
    f["regions/norrbotten/programme-areas/akut-vard.yaml"] = {
        "name": "LPO Akut vård",
        "members": [seat("bo", "chair", **{"from": "2023-01-01", "to": "2026-06-30"})],
    }
    f["regions/skane/programme-areas/akut-vard.yaml"] = {
        "name": "LPO Akut vård",
        "members": [seat("eva", "chair"), seat("fredrik")],
        "contact_person": "eva",
    }
    f["regions/skane/programme-areas/tand.yaml"] = {"name": "LPO Tand", "mirrors": "tandvard"}
    f["regions/blekinge/programme-areas/akut-vard.yaml"] = {
        "name": "LPO Akut vård",
        "status": "not-established",
        "contact_person": "gun",
    }
    f["regions/jamtland/programme-areas/psykisk-halsa.yaml"] = {
        "name": "LPO Psykisk hälsa",
        "from": "2020",
        "to": "2019",
    }
    f["regions/norrbotten/programme-areas/akutvard.yaml"] = {"name": "LPO Akutvård"}
    f["regions/skane/collaboration-groups/lakemedel.yaml"] = {
        "name": "LSG Läkemedel",
        "from": "2020",
        "members": [
            seat("ida", "chair"),
            seat("ida", **{"from": "2026-01-01"}),
            seat("okand", **{"from": "2019-06-01"}),
        ],
    }
    f["regions/skane/working-groups/akut-vard/stroke.yaml"] = {
        "name": "LAG Stroke",
        "members": [seat("fredrik", "chair"), seat("eva")],
    }
    f["regions/skane/handling/vf-sepsis.yaml"] = {
        "stage": "beslut",
        "steps": [
            {"stage": "remiss", "date": "2023-01-10"},
            {"stage": "kartlaggning", "date": "2023-05-01"},
            {"stage": "beslut", "date": "2024-01-01"},
        ],
        "decision": {"date": "2024-01-01", "by": "Ledningsgruppen"},
        "responsible_lpo": "skane/akut-vard",
        "responsible_person": "hans",
    }
    f["regions/norrbotten/handling/vp-karies.yaml"] = {
        "stage": "uppfoljning",
        "steps": [{"stage": "remiss", "date": "2024-01-01"}],
        "decision": {"date": "2024-06-01"},
    }
    return f


# ------------------------------------------------------------------------------ writing


_PLAIN = re.compile(r"[A-Za-zÅÄÖåäö0-9][\wÅÄÖåäö .:/@-]*")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    plain = _PLAIN.fullmatch(text) and ": " not in text and not text.endswith(":")
    return text if plain else json.dumps(text, ensure_ascii=False)


def _emit(value: Any, indent: int, out: list[str], lead: str = "") -> None:
    pad = " " * indent
    if isinstance(value, dict):
        first = True
        for key, item in value.items():
            prefix = lead if first and lead else pad
            first = False
            if isinstance(item, dict | list) and item:
                out.append(f"{prefix}{key}:")
                _emit(item, indent + 2, out)
            else:
                empty = "{}" if isinstance(item, dict) else "[]"
                shown = empty if isinstance(item, dict | list) else _scalar(item)
                out.append(f"{prefix}{key}: {shown}")
        if first:
            out.append(f"{lead or pad}{{}}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                _emit(item, indent + 2, out, lead=f"{pad}- ")
            else:
                out.append(f"{pad}- {_scalar(item) if not isinstance(item, dict) else '{}'}")
    else:
        out.append(f"{lead or pad}{_scalar(value)}")


def dump(data: Any) -> str:
    """`data` as block YAML (text as it is, for a file that is meant not to parse)."""
    if isinstance(data, str):
        return data
    out: list[str] = []
    _emit(data, 0, out)
    return "\n".join(out) + "\n"


def write(root: Path, files: Files, before: Files | None = None) -> list[str]:
    """Write `files` under `root` (only those that differ from `before`, and remove those
    gone since); return the paths written or removed."""
    touched = []
    for rel, data in files.items():
        if before is not None and rel in before and before[rel] == data:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data), encoding="utf-8")
        touched.append(rel)
    for rel in (before or {}).keys() - files.keys():
        (root / rel).unlink()
        touched.append(rel)
    return touched


def setter(rel: str, *path: Any, value: Any) -> Callable[[Files], None]:
    """An edit that sets the value at `path` in the file `rel` (None removes the key)."""

    def change(files: Files) -> None:
        node = files[rel]
        for step in path[:-1]:
            node = node[step]
        if value is None:
            del node[path[-1]]
        else:
            node[path[-1]] = value

    return change


def copied(files: Files) -> Files:
    return copy.deepcopy(files)
