"""RETIRED: a record of how the first registry was generated (commit 445975e, November 2026).

The YAML under registry/ is the source of every fact; pull requests change it, through
`ksctl new`, `ksctl fmt` and `ksctl validate`. The facts written inline below (the
glossary, Örebro's council, hosting years, source titles) are as they stood then, are not
maintained, and several have since been corrected in the registry: never copy from here.

It still runs, into a new folder only (it refuses an existing one, so it can never wipe
the registry):

    python scripts/retired/import_reference.py --out /tmp/first-registry \
        [--reference ../shared/reference] [--seeds ../shared/seeds]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

RETRIEVED = "2026-11-22"
SEED = {
    "000": "Sjukvårdsregion Mellansverige: Kunskapsstyrning (projektets källdokument seeds/000)",
    "001": "Norra sjukvårdsregionförbundet: introduktion för nya ledamöter, augusti 2023 "
    "(projektets källdokument seeds/001)",
    "002": "Region Västernorrland: Kunskapsstyrning, publicerad 12 april 2024 "
    "(projektets källdokument seeds/002)",
    "003": "SKR: organisationsmodellen med tre nivåer (projektets källdokument seeds/003)",
    "004": "Region Örebro län: kunskapsstödsprocessen och RMKS, uppdaterad 16 april 2024 "
    "(projektets källdokument seeds/004)",
}
STYRGRUPP = "https://www.kunskapsstyrningvard.se/kunskapsstyrningvard/omkunskapsstyrning/organisation/styrgrupp.56227.html"
NATIONELL_NIVA = "https://kunskapsstyrningvard.se/kunskapsstyrningvard/omkunskapsstyrning/organisation/nationellniva.71425.html"
SKL_2018 = "https://skl.se/halsasjukvard/kunskapsstodvardochbehandling/systemforkunskapsstyrning/nyheterkunskapsstyrning/processtodforsamtliganationellaprogramomradenfordelat.24508.html"
CONF = {"high": "high", "medium": "medium", "low": "low"}
_PLAIN = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü][^:#\[\]{},&*!|>'\"%@`]*$")
_SPECIAL = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}


def q(value: object) -> str:
    """A YAML scalar: plain where that reads the same, else a double-quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _SPECIAL and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


class Doc:
    def __init__(self, kind: str, depth: int) -> None:
        self.lines = [f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json"]

    def add(self, line: str) -> Doc:
        self.lines.append(line)
        return self

    def key(self, key: str, value: object, indent: int = 0) -> Doc:
        if value is None or value == "":
            return self
        return self.add(f"{' ' * indent}{key}: {q(value)}")

    def items(self, key: str, values: list[str], indent: int = 0) -> Doc:
        if values:
            self.add(f"{' ' * indent}{key}:")
            for v in values:
                self.add(f"{' ' * indent}  - {q(v)}")
        return self

    def sources(self, sources: list[str], indent: int = 0) -> Doc:
        if not sources:
            return self
        self.add(f"{' ' * indent}sources:")
        for s in sources:
            if s.startswith("http"):
                self.add(f"{' ' * indent}  - url: {s}")
                self.add(f"{' ' * indent}    retrieved: {RETRIEVED}")
            else:
                self.add(f"{' ' * indent}  - document: {q(s)}")
        return self

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def split_sources(cell: str) -> list[str]:
    out = []
    for part in (p.strip() for p in cell.split(" ; ") if p.strip()):
        if part.startswith("project seed excerpt"):
            part = f"{SEED['001']}: {part.removeprefix('project seed excerpt').strip(' ()')}"
        elif part.startswith("county codes:"):
            part = "Länskoder: " + part.removeprefix("county codes:").strip()
        out.append(part)
    return out


def read(reference: Path, name: str) -> list[dict[str, str]]:
    with (reference / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(out: Path, rel: str, doc: Doc) -> None:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.text(), encoding="utf-8")


def settings(out: Path) -> None:
    d = Doc("settings", 1)
    d.add("version: 1")
    d.add("site:")
    d.add("  title: Nationellt system för kunskapsstyrning hälso- och sjukvård")
    d.add("policies:")
    d.add("  coi_interval_years: 3  # jäv omprövas vart tredje år nationellt")
    d.add("  mandate_warning_days: 90")
    d.add("open_questions:")
    questions = [
        (
            "tjugosjatte-npo",
            "Vilket är det 26:e nationella programområdet? Källor 2023–2024 "
            "säger 26 NPO, men bara 25 namn har hittats; en hypotes (ej bekräftad) är att "
            "primärvårdsrådet räknas in, men texten från 2021 räknar rådet för sig.",
            ["npo:primarvardsradet"],
            [
                "https://kunskapsstyrningvard.se/kunskapsstyrningvard/programomradenochsamverkansgrupper/nationellaprogramomraden.44729.html",
                "https://www.nationelltklinisktkunskapsstod.se/Varmland/om-nationellt-kliniskt-kunskapsstod/sa-har-arbetar-vi/",
            ],
        ),
        (
            "attonde-nsg",
            "Vilken är den åttonde nationella samverkansgruppen? Sidor från 2024 "
            "säger åtta NSG; sju namn är kända. Äldre källor nämner NSG uppföljning och analys och "
            "NSG kvalitetsregister, möjligen föregångare till Data och analys.",
            ["nsg:data-och-analys"],
            [
                "https://www.norrasjukvardsregionforbundet.se/kunskapsstyrning/nationella-samverkansgrupper/sjukvardsregional-samverkansgrupp-uppfoljning-och-analys/"
            ],
        ),
        (
            "halland-delad",
            "Region Halland är delad: Kungsbacka, Varberg och Falkenberg "
            "samverkar med Västra sjukvårdsregionen, Halmstad, Hylte och Laholm med Södra. "
            "Gällande lydelse av SFS 2017:80 har inte hämtats; registret placerar regionen i Södra.",
            ["region:halland", "municipality:1384", "municipality:1383", "municipality:1382"],
            [
                "https://www.vgregion.se/politik/politisk-organisation/namnder-och-styrelser-for-halso--och-sjukvard/samverkansnamnden",
                "https://sodrasjukvardsregionen.se/om-sodra-sjukvardsregionen/verksamhetsberattelse/",
            ],
        ),
        (
            "primarvardsradets-vardskap",
            "Är Södras värdskap för Nationellt primärvårdsråd aktivt, och när tog "
            "Södra över? Beslutet 2018 gav SKL aktivt värdskap och Södra vilande; källdokumentet "
            "från augusti 2023 anger Södra som värd. När skiftet skedde är inte känt: registret "
            "låter SKR:s period sluta 2022 och Södras börja 2023 (källdokumentets år) bara för att "
            "perioderna inte ska överlappa.",
            ["npo:primarvardsradet"],
            [
                "https://skl.se/halsasjukvard/kunskapsstodvardochbehandling/systemforkunskapsstyrning/nyheterkunskapsstyrning/processtodforsamtliganationellaprogramomradenfordelat.24508.html",
                SEED["001"] + ": host list",
            ],
        ),
        (
            "vardskap-endast-kalldokument",
            "Värdskapet för Hud- och könssjukdomar, "
            "Infektionssjukdomar, Reumatiska sjukdomar och Ögonsjukdomar (Stockholm-Gotland), "
            "Lung- och allergisjukdomar, Mag- och tarmsjukdomar, Rörelseorganens sjukdomar och "
            "Kirurgi och plastikkirurgi (Västra) samt Endokrina sjukdomar (Norra) bygger bara på "
            "källdokumentet; inga offentliga sidor bekräftar dem.",
            [
                "npo:hud-och-konssjukdomar",
                "npo:infektionssjukdomar",
                "npo:reumatiska-sjukdomar",
                "npo:ogonsjukdomar",
                "npo:lung-och-allergisjukdomar",
                "npo:mag-och-tarmsjukdomar",
                "npo:rorelseorganens-sjukdomar",
                "npo:kirurgi-och-plastikkirurgi",
                "npo:endokrina-sjukdomar",
            ],
            [SEED["001"]],
        ),
        (
            "mellansverige-kommuner",
            "En sida från Sjukvårdsregion Mellansverige anger 70 kommuner; "
            "de sju länen har 80 enligt SCB-koderna. Sidans siffra ser fel ut.",
            ["healthcare-region:mellansverige"],
            ["https://www.xn--sjukvrdsregionmellan-0zb.se/2-namnden/namnden.html"],
        ),
    ]
    for ident, question, concerns, sources in questions:
        d.add(f"  - id: {ident}")
        d.add(f"    question: {q(question)}")
        d.add("    concerns: [" + ", ".join(concerns) + "]")
        d.sources(sources, 4)
    write(out, "ksctl.yaml", d)


GLOSSARY = [
    (
        "NPO",
        "Nationellt programområde",
        "Leder kunskapsstyrningen inom ett sjukdoms- eller behovsområde på nationell nivå, med en företrädare per sjukvårdsregion.",
        ["000", "001"],
    ),
    (
        "RPO",
        "Sjukvårdsregionalt programområde",
        "Speglar ett NPO i en sjukvårdsregion och är bryggan mellan nationell och lokal nivå.",
        ["000", "001"],
    ),
    (
        "LPO",
        "Lokalt (regionalt) programområde",
        "Speglar ett NPO i en region och tar emot, anpassar och inför kunskapsstöd lokalt.",
        ["000", "001", "004"],
    ),
    (
        "NAG",
        "Nationell arbetsgrupp",
        "Sätts ihop vid behov av ett NPO för ett avgränsat uppdrag, ofta med öppen nominering.",
        ["000", "001", NATIONELL_NIVA],
    ),
    (
        "RAG",
        "Sjukvårdsregional arbetsgrupp",
        "Arbetsgrupp på sjukvårdsregional nivå som sätts ihop vid behov.",
        ["000", "001"],
    ),
    (
        "LAG",
        "Lokal (regional) arbetsgrupp",
        "Arbetsgrupp i en region för fördjupad analys och införande; ska vara multiprofessionell.",
        ["001", "004"],
    ),
    (
        "NSG",
        "Nationell samverkansgrupp",
        "Leder och samordnar regionernas gemensamma arbete inom ett tvärgående område, till exempel läkemedel eller patientsäkerhet.",
        ["000", "001"],
    ),
    (
        "RSG",
        "Sjukvårdsregional samverkansgrupp",
        "Samverkansgrupp på sjukvårdsregional nivå.",
        ["001"],
    ),
    (
        "LSG",
        "Lokal (regional) samverkansgrupp",
        "Samverkansgrupp på lokal nivå i en region.",
        ["001"],
    ),
    (
        "RCC",
        "(Sjukvårds-)Regionalt cancercentrum",
        "Regionala cancercentrum; i samverkan utgör de NPO Cancersjukdomar.",
        ["001"],
    ),
    (
        "RCN",
        "Registercentrum Norr",
        "Registercentrum i norra sjukvårdsregionen; står i Norra sjukvårdsregionförbundets förkortningslista.",
        ["001"],
    ),
    (
        "RCO",
        "Registercentrum organisationer i samverkan",
        "Står i Norra sjukvårdsregionförbundets förkortningslista; källan förklarar den inte närmare.",
        ["001"],
    ),
    (
        "RSS",
        "Regional samverkans- och stödstruktur (kommuner)",
        "Kommunernas regionala struktur för samverkan och kunskapsstöd, i Örebro län inom Område välfärd och folkhälsa.",
        ["001", "004"],
    ),
    (
        "NKK",
        "Nationellt kliniskt kunskapsstöd",
        "Webbplatsen för kliniska kunskapsstöd, numera 1177 för vårdpersonal.",
        ["001", "004"],
    ),
    (
        "HTA",
        "Health technology assessment",
        "Utvärdering av hälso- och sjukvårdens metoder.",
        ["001"],
    ),
    (
        "NRF",
        "Norra sjukvårdsregionförbundet",
        "Kommunalförbundet för de fyra regionerna i norra sjukvårdsregionen.",
        ["001"],
    ),
    (
        "RSK",
        "(Sjukvårds-)Regionala samverkansgruppen för kunskapsstyrning",
        "Sjukvårdsregionens grupp som samordnar kunskapsstyrningen.",
        ["001"],
    ),
    (
        "BG",
        "Beredningsgrupp",
        "Bereder ärenden till styrgruppen för kunskapsstyrning; i norra sjukvårdsregionen NRF:s beredningsgrupp.",
        ["001"],
    ),
    (
        "SKS",
        "Styrgrupp för kunskapsstyrning",
        "Nationell styrgrupp på tjänstemannanivå som godkänner verksamhetsplaner och vårdförlopp.",
        ["001"],
    ),
    (
        "SKR",
        "Sveriges Kommuner och Regioner",
        "Arbetsgivar- och intresseorganisation där systemets nationella stödfunktion finns.",
        ["001", "003", STYRGRUPP],
    ),
    (
        "SKL",
        "Sveriges Kommuner och Landsting",
        "SKR:s tidigare namn, i källor från 2018 och 2019.",
        [SKL_2018],
        "low",
        [
            "Utskrivningen bekräftas inte av någon källa: källorna skriver bara SKL "
            "(beslutet 2018-09-21 på skl.se) och SKL/SKR."
        ],
    ),
    (
        "SVF",
        "Standardiserat vårdförlopp",
        "Kunskapsstöd i cancervården som beskriver utredning och tider från välgrundad misstanke.",
        ["001", "004"],
    ),
    (
        "VIP",
        "Vård- och insatsprogram",
        "Kunskapsstöd inom området psykisk hälsa för vård och socialtjänst.",
        ["001"],
    ),
    (
        "RMKS",
        "Rådet för medicinskt kunskapsstöd",
        "Region Örebro läns råd som håller samman arbetet med kunskapsstöd.",
        ["004"],
    ),
    (
        "MAS",
        "Medicinskt ansvarig sjuksköterska",
        "Område välfärd och folkhälsa i Örebro län organiserar ett nätverk för medicinskt "
        "ansvariga sjuksköterskor/arbetsterapeuter, MAS/MAR.",
        ["004"],
    ),
    (
        "MAR",
        "Medicinskt ansvarig för rehabilitering",
        "Område välfärd och folkhälsa i Örebro län organiserar ett nätverk för MAS/MAR.",
        ["004"],
        "low",
        [
            "Utskrivningen bekräftas inte av någon källa: källdokumentet skriver "
            "”medicinskt ansvariga sjuksköterskor/arbetsterapeuter, MAS/MAR”."
        ],
    ),
    (
        "NSK-S",
        "Nationell samverkansgrupp kunskapsstyrning socialtjänst",
        "Socialtjänstens nationella samverkansgrupp, adjungerad till SKS; räknas inte till de åtta NSG.",
        [STYRGRUPP],
    ),
    (
        "HälSam",
        "Hälsa i samverkan",
        "Västernorrlands struktur för samverkan mellan region och kommuner, som LPO-arbetet länkas till.",
        ["002"],
        "low",
        [
            "Utskrivningen bekräftas inte av någon källa: källdokumentet skriver bara "
            "”HälSam strukturen”."
        ],
    ),
]


def glossary(out: Path, seeds: Path) -> None:
    """Every term is checked against the seeds it cites: the term must occur in each one.

    Pages (urls) were checked by hand in the stored copies: the steering-group page
    (2023-09-22) names "Nationell samverkansgrupp kunskapsstyrning socialtjänst, NSK-S" and
    "Sveriges Kommuner och Regioner (SKR)"; the national-level page (2024-06-19) names NAG
    and its open nomination; the skl.se decision (2018-09-21) is SKL's. A term whose
    expansion no source gives carries confidence low and a note saying so.
    """
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in seeds.glob("[0-9][0-9][0-9]_*.txt")}
    if not texts:
        print(f"{seeds}: no seeds found; glossary citations not checked")
    d = Doc("glossary", 1)
    d.add("terms:")
    for entry in GLOSSARY:
        term, expansion, explanation, cited = entry[:4]
        confidence, notes = (entry[4], entry[5]) if len(entry) > 4 else (None, [])
        for s in cited:
            if s in SEED and texts:
                found = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", texts[s])
                assert found, f"glossary: {term} is not in seeds/{s}"
        d.add(f"  - term: {q(term)}")
        d.add(f"    expansion: {q(expansion)}")
        d.add(f"    explanation: {q(explanation)}")
        d.sources([SEED.get(s, s) for s in cited], 4)
        d.items("notes", notes, 4)
        d.key("confidence", confidence, 4)
    write(out, "glossary.yaml", d)


def healthcare_regions(out: Path, reference: Path) -> dict[str, str]:
    names = {}
    aliases = {
        "mellansverige": ["Uppsala-Örebro sjukvårdsregion", "Sjukvårdsregion Mellansverige"],
        "stockholm-gotland": ["Stockholm och Gotlands sjukvårdsregion"],
        "sydostra": ["Sydöstra"],
        "sodra": ["Södra"],
        "vastra": ["Västra"],
        "norra": ["Norra"],
    }
    for row in read(reference, "sjukvardsregioner.csv"):
        hr = row["id"]
        names[hr] = row["official_name"]
        d = Doc("healthcare-region", 3)
        d.key("name", row["name"]).key("official_name", row["official_name"])
        d.items("aliases", [a for a in aliases.get(hr, []) if a != row["name"]])
        sources = split_sources(row["source"])
        urls = [s for s in sources if s.startswith("http")]
        d.add("cooperation_body:").key("name", row["cooperation_body"], 2)
        d.key("url", urls[0] if urls else None, 2)
        if hr == "norra":
            d.add("participation_shares:")
            for region, percent in (
                ("norrbotten", 12),
                ("jamtland-harjedalen", 17),
                ("vasternorrland", 13),
                ("vasterbotten", 58),
            ):
                d.add(f"  - region: {region}").add(f"    percent: {percent}")
                d.add("    as_of: 2023-08")
                d.add("    sources:").add(f"      - document: {q(SEED['001'])}")
            d.add(
                "    # Regionernas andel i de nationella grupperna (NPO, NAG, NSG) per augusti 2023."
            )
        d.sources(sources + ([SEED["000"]] if hr == "mellansverige" else []))
        d.key("confidence", CONF[row["confidence"]])
        if row["note"]:
            d.items("notes", [row["note"]])
        write(out, f"healthcare-regions/{hr}/healthcare-region.yaml", d)
    return names


def municipality_source(rows: list[dict[str, str]]) -> str:
    """The one source of a county's municipality codes and short names (kommuner.csv)."""
    (cell,) = {m["source"] for m in rows}
    return "Kommunkoder och kortnamn: " + cell.replace("; cross-checked against ", " = ")


def regions(out: Path, reference: Path) -> None:
    munis: dict[str, list[dict[str, str]]] = {}
    for row in read(reference, "kommuner.csv"):
        munis.setdefault(row["county_code"], []).append(row)
    north_halland = {"1384": "Kungsbacka", "1383": "Varberg", "1382": "Falkenberg"}
    for row in read(reference, "regioner.csv"):
        r = row["id"]
        d = Doc("region", 3)
        d.key("name", row["name"])
        if r == "jamtland-harjedalen":
            d.items("aliases", ["Region Jämtland-Härjedalen"])
        if r == "vastra-gotaland":
            d.items("aliases", ["Västra Götalandsregionen", "VGR"])
        d.add(f'county_code: "{row["county_code"]}"')
        d.key("healthcare_region", row["sjukvardsregion"])
        if r == "orebro":
            d.key("local_process", "Kunskapsstödsprocessen")
            d.key("knowledge_support_unit", "orebro/kunskapsstodsgruppen")
        if r == "vasternorrland":
            d.key(
                "local_process",
                "Länsgemensam process för beredning, beslut och "
                "implementering av kunskapsstöd (region och kommuner, kopplad till HälSam)",
            )
            d.add("contact:").add("  - type: email").add("    value: kunskapsstyrning@rvn.se")
            d.add("    public: true  # publicerad på regionens webbplats")
        d.add(f"municipalities:  # {len(munis[row['county_code']])} kommuner (SCB)")
        for m in sorted(munis[row["county_code"]], key=lambda m: m["code"]):
            d.add(f'  - code: "{m["code"]}"').add(f"    name: {q(m['name'])}")
            if m["code"] in north_halland:
                d.add("    healthcare_region: vastra")
                d.add("    confidence: medium")
                d.add("    notes:")
                d.add(
                    "      - Samverkar med Västra sjukvårdsregionen (vgregion.se; SFS 1982:777 "
                    "i lydelse 1997:927); gällande lydelse av SFS 2017:80 är inte hämtad."
                )
        sources = split_sources(row["source"])
        at = next(i for i, s in enumerate(sources) if s.startswith("Länskoder: ")) + 1
        sources.insert(at, municipality_source(munis[row["county_code"]]))
        d.sources(
            sources
            + ([SEED["002"]] if r == "vasternorrland" else [])
            + ([SEED["004"]] if r == "orebro" else [])
        )
        d.key("confidence", CONF[row["confidence"]])
        notes = [row["note"]] if row["note"] else []
        if r == "vasternorrland":
            notes.append(
                "Regionen har lokala programområden (LPO), flera i samverkan med "
                "länets kommuner; källan namnger inga enskilda LPO, så inga är "
                "registrerade."
            )
        if r == "orebro":
            notes.append(
                "Länets tolv kommuner tar del av och inför de nationella "
                "kunskapsstöden tillsammans med regionen; socialchef eller "
                "motsvarande beslutar om införande i respektive kommun."
            )
        d.items("notes", notes)
        write(out, f"regions/{r}/region.yaml", d)


HOST_FROM = {"kirurgi-och-plastikkirurgi": "2021"}


def programme_areas(out: Path, reference: Path) -> list[str]:
    seed_aliases = {
        "aldres-halsa-och-palliativ-vard": ["Äldres hälsa"],
        "oron-nas-och-halssjukdomar": ["ÖNH"],
        "cancersjukdomar": ["RCC i samverka"],
        "barn-och-ungdomars-halsa": ["Barn- och ungdomars hälsa"],
        "kvinnosjukdomar-och-forlossning": ["Kvinnosjukdomar och förlossning"],
    }
    ids = []
    for row in read(reference, "npo.csv"):
        a = row["id"]
        ids.append(a)
        d = Doc("npo", 3)
        d.key("name", row["name"])
        aliases = [x for x in row["aliases"].split(";") if x] + [
            x for x in seed_aliases.get(a, []) if x not in row["aliases"] and x != row["name"]
        ]
        d.items("aliases", aliases)
        if row["type"] == "rad":
            d.add("category: council")
        d.add("hosting:")
        sources = split_sources(row["source"])
        if a == "psykisk-halsa":
            d.add("  - host: organisation:skr").add("    dormant_host: vastra")
            d.add("    from: 2018").add("    to: 2020")
            d.add("    notes:").add(
                "      - Aktivt värdskap hos SKL (Uppdrag Psykisk Hälsa) "
                "2018–2020 med vilande värdskap i Västra; endast åren är kända."
            )
            d.add("  - host: healthcare-region:vastra").add("    from: 2021")
            d.add("    notes:").add(
                "      - Västra Götalandsregionen tog över värdskapet 2021; endast året är känt."
            )
            d.add("    sources:").add(
                "      - url: https://www.uppdragpsykiskhalsa.se/kunskapsutbyte/"
            )
            d.add(f"        retrieved: {RETRIEVED}")
        elif a == "cancersjukdomar":
            d.add("  - host: organisation:skr").add("    dormant_host: norra")
            d.add("    from: 2018")
            d.add("    notes:").add(
                "      - Aktivt värdskap hos SKL/SKR så länge statens "
                "cancermedel går via SKR-överenskommelser; Norras vilande "
                "värdskap beslutades 2018-09-21. Startåret är systemets år."
            )
        elif a == "primarvardsradet":
            # The handover is not dated by any source: SKL's period ends the year before
            # the seed's (August 2023) and Södra's starts in that year, so that the two do
            # not overlap (KS402); the notes and the open question say so.
            d.add("  - host: organisation:skr").add("    dormant_host: sodra")
            d.add("    from: 2018").add("    to: 2022")
            d.add("    confidence: medium")
            d.add("    notes:").add(
                "      - Beslutet 2018 gav SKL aktivt och Södra vilande "
                "värdskap. När SKR:s värdskap upphörde är okänt; slutåret 2022 är "
                "året före källdokumentet (augusti 2023) som anger Södra som "
                "värd, inte ett årtal ur någon källa."
            )
            d.add("  - host: healthcare-region:sodra").add("    from: 2023")
            d.add("    confidence: low")
            d.add("    notes:").add(
                "      - Endast källdokumentet (augusti 2023) anger Södra som "
                "värd. Skiftet från SKR skedde alltså senast då, men när är "
                "okänt; startåret 2023 är dokumentets år, inte skiftets. Om "
                "värdskapet är aktivt är inte bekräftat."
            )
            d.add("    sources:").add(f"      - document: {q(SEED['001'] + ': host list')}")
        else:
            d.add(f"  - host: healthcare-region:{row['host']}")
            d.add(f"    from: {HOST_FROM.get(a, '2018')}")
            if CONF[row["confidence"]] != "high":
                d.add(f"    confidence: {CONF[row['confidence']]}")
            d.add("    notes:").add(
                "      - "
                + (
                    "NPO:t startade 2021; endast året är känt."
                    if a in HOST_FROM
                    else "Systemet trädde i kraft 2018; endast året är känt för värdskapets start."
                )
            )
        d.add(
            f"municipal_participation: {'true' if row['municipal_participation'] == 'yes' else 'false'}"
        )
        d.sources(sources)
        d.key("confidence", CONF[row["confidence"]])
        notes = [row["note"]] if row["note"] else []
        if row["municipal_participation"] == "no":
            notes.append(
                "municipal_participation: false betyder bara att området inte fanns på "
                "S-KiS lista 2019 över NPO med kommunalt deltagande."
            )
        d.items("notes", notes)
        write(out, f"national/programme-areas/{a}.yaml", d)
    return ids


def collaboration_groups(out: Path, reference: Path) -> None:
    for row in read(reference, "nsg.csv"):
        d = Doc("nsg", 3)
        d.key("name", row["name"])
        if row["host"] == "skr":
            d.add("hosting:").add("  - host: organisation:skr")
            d.add("    notes:").add("      - Värdskap hos SKR enligt sidan från december 2022.")
        d.sources(split_sources(row["source"]))
        d.key("confidence", CONF[row["confidence"]])
        d.items("notes", [row["note"]] if row["note"] else [])
        write(out, f"national/collaboration-groups/{row['id']}.yaml", d)


def organisations(out: Path) -> None:
    for ident, name, abbr, kind, sources, notes in (
        (
            "skr",
            "Sveriges Kommuner och Regioner",
            "SKR",
            "association",
            [SEED["001"], SEED["002"]],
            ["Hette Sveriges Kommuner och Landsting (SKL) till 2019."],
        ),
        (
            "rcc-i-samverkan",
            "Regionala cancercentrum i samverkan",
            "RCC",
            "cooperation",
            ["https://cancercentrum.se/samverkan/", SEED["001"]],
            ["Utgör nationellt programområde Cancersjukdomar."],
        ),
        (
            "socialstyrelsen",
            "Socialstyrelsen",
            None,
            "agency",
            [
                "https://www.socialstyrelsen.se/kunskapsstod-och-regler/regler-och-riktlinjer/nationella-riktlinjer/"
            ],
            ["Tar fram nationella riktlinjer."],
        ),
    ):
        d = Doc("organisation", 3)
        d.key("name", name).key("abbreviation", abbr).add(f"type: {kind}")
        d.sources(sources).items("notes", notes)
        write(out, f"national/organisations/{ident}.yaml", d)


def person(
    out: Path, rel: str, name: str, title: str | None, employer: str, unit: str | None, seed: str
) -> None:
    d = Doc("person", 4 if rel.startswith("regions/") else 3)
    d.key("name", name).key("title", title).key("employer", employer).key("unit", unit)
    d.sources([SEED[seed]])
    write(out, rel, d)


def bodies(out: Path) -> None:
    person(
        out,
        "regions/jonkoping/people/mats-bojestig.yaml",
        "Mats Bojestig",
        "Hälso- och sjukvårdsdirektör",
        "region:jonkoping",
        None,
        "001",
    )
    d = Doc("body", 3)
    d.key("name", "Styrgrupp för kunskapsstyrning").key("abbreviation", "SKS")
    d.add("type: steering-group")
    d.add("members:").add("  - person: mats-bojestig").add("    role: chair")
    d.add("    represents: region:jonkoping")
    d.add("    notes:").add(
        "      - Ordförande enligt presentationen från augusti 2023; "
        "mandatperioden är inte publicerad."
    )
    d.sources(
        [
            SEED["001"],
            "https://www.kunskapsstyrningvard.se/kunskapsstyrningvard/omkunskapsstyrning/organisation/styrgrupp.56227.html",
        ]
    )
    d.items(
        "notes",
        [
            "Stöd och arena för dialog mellan huvudmän och stat på tjänstemannanivå; "
            "godkänner verksamhetsplaner och viss prioritering.",
            "NSK-S (socialtjänstens samverkansgrupp) är adjungerad.",
        ],
    )
    write(out, "national/bodies/sks.yaml", d)
    d = Doc("body", 3)
    d.key("name", "Beredningsgrupp för kunskapsstyrning").key("abbreviation", "BG")
    d.add("type: preparation-group").add("parent: sks")
    d.sources([SEED["001"]]).items(
        "notes", ["Bereder styrgruppens ärenden; ledamöterna är inte publicerade i källorna."]
    )
    write(out, "national/bodies/bg.yaml", d)
    d = Doc("body", 3)
    d.key("name", "Nationell stödfunktion vid SKR").add("type: support-function")
    d.add("organisation: skr")
    d.sources([SEED["001"], SEED["002"]])
    d.items(
        "notes",
        [
            "Bidrar till ett likartat arbetssätt, säkrar strukturens inre samverkan, "
            "stödjer samverkansgrupperna och beredningsgruppen, skapar mötesplatser och "
            "är administrativt stöd till styrgruppen."
        ],
    )
    write(out, "national/bodies/nationell-stodfunktion.yaml", d)


def mellansverige_rpo(out: Path, areas: list[str], names: dict[str, str]) -> None:
    regions = ["dalarna", "gavleborg", "sormland", "uppsala", "varmland", "vastmanland", "orebro"]
    for area in areas:
        d = Doc("rpo", 4)
        d.key("name", f"RPO {names[area]}")
        d.add("members:  # en eller två ledamöter per region; namnen är inte publicerade")
        for r in regions:
            d.add("  - vacant: true").add(f"    represents: region:{r}")
        d.sources([SEED["000"]])
        d.items(
            "notes",
            [
                "Det finns ett RPO för varje nationellt programområde i Sjukvårdsregion "
                "Mellansverige; ledamöterna finns inte i de offentliga källorna, så "
                "platserna står som vakanta i registret."
            ],
        )
        write(out, f"healthcare-regions/mellansverige/programme-areas/{area}.yaml", d)


RMKS = [
    (
        "gustav-ekback",
        "Gustav Ekbäck",
        "chair",
        "Planeringschef på Planering och politik, Hälso- och sjukvårdsförvaltningen",
        None,
        None,
    ),
    (
        "caroline-hagstrom",
        "Caroline Hagström",
        "participant",
        "Processägare Kunskapsstöd. Enhetschef Utvecklingsenheten, Hälso- och sjukvårdsförvaltningen",
        None,
        None,
    ),
    (
        "martin-gunnarsson",
        "Martin Gunnarsson",
        "participant",
        "Områdeschef område specialiserad vård",
        "Representant Områdeschefer HS",
        2,
    ),
    (
        "pernilla-sundqvist",
        "Pernilla Sundqvist",
        "participant",
        "Verksamhetschef verksamhetsområde urologi",
        "Representant område specialiserad vård",
        2,
    ),
    (
        "dag-salaj",
        "Dag Salaj",
        "participant",
        "Äldrevårdsöverläkare, område nära vård",
        "Representant område nära vård",
        2,
    ),
    (
        "lise-bergman-nordgren",
        "Lise Bergman Nordgren",
        "participant",
        "LPO ordförande Psykisk hälsa, biträdande områdeschef område psykiatri",
        "Representant område psykiatri",
        2,
    ),
    (
        "ingmar-angman",
        "Ingmar Ångman",
        "participant",
        "Områdeschef område Välfärd och folkhälsa, Regional utveckling",
        None,
        None,
    ),
    (
        "stefan-jansson",
        "Stefan Jansson",
        "participant",
        "Ordförande RMKS-referensgrupp, distriktsläkare Brickebackens vårdcentral",
        None,
        None,
    ),
    (
        "anna-stahl",
        "Anna Ståhl",
        "participant",
        "Samordnare Kunskapsstöd, Verksamhetsutvecklare, Utvecklingsenheten Hälso- och sjukvårdsförvaltningen",
        None,
        None,
    ),
]


def orebro(out: Path) -> None:
    for pid, name, _, title, _, _ in RMKS:
        person(out, f"regions/orebro/people/{pid}.yaml", name, title, "region:orebro", None, "004")
    d = Doc("body", 4)
    d.key("name", "Rådet för medicinskt kunskapsstöd").key("abbreviation", "RMKS")
    d.add("type: council")
    d.add("members:")
    for pid, _, role, _, function, years in RMKS:
        d.add(f"  - person: {pid}").add(f"    role: {role}")
        d.key("function", function, 4)
        if years:
            d.add(f"    mandate_years: {years}")
    d.sources([SEED["004"]])
    d.items(
        "notes",
        [
            "Agerar operativt och säkerställer en sammanhållande struktur för regionens "
            "arbete med kunskapsstöd; består av deltagare från Hälso- och "
            "sjukvårdsförvaltningen samt områdeschef för område Välfärd och folkhälsa.",
            "Mandatperiodernas start är inte publicerad.",
        ],
    )
    write(out, "regions/orebro/bodies/rmks.yaml", d)
    d = Doc("body", 4)
    d.key("name", "Referensgrupp till Rådet för medicinskt kunskapsstöd")
    d.add("type: reference-group").add("parent: orebro/rmks")
    d.add("members:").add("  - person: stefan-jansson").add("    role: chair")
    d.sources([SEED["004"]]).items(
        "notes", ["Bistår rådet i specifika frågor och adjungeras vid behov."]
    )
    write(out, "regions/orebro/bodies/rmks-referensgrupp.yaml", d)
    d = Doc("body", 4)
    d.key("name", "Kunskapsstödsgruppen").add("type: knowledge-support-unit")
    d.add("contact:").add("  - type: email").add("    value: kunskapsstod@regionorebrolan.se")
    d.add("    public: true  # funktionsbrevlåda publicerad på regionens webbplats")
    # The seed names no chair: Caroline Hagström is enhetschef and processägare; she and
    # Ingmar Ångman are named, without a heading, at the foot of the page.
    d.add("members:").add("  - person: caroline-hagstrom").add("    role: contact-person")
    d.add("    function: Processägare Kunskapsstöd, enhetschef Utvecklingsenheten")
    d.add("    notes:").add(
        "      - Källan anger henne som processägare och enhetschef för "
        "Utvecklingsenheten, där gruppen ingår, och namnger henne längst ned på sidan; "
        "någon ordförande för gruppen anges inte."
    )
    d.add("  - person: anna-stahl").add("    role: member")
    d.add("    function: Samordnare Kunskapsstöd")
    d.sources([SEED["004"]])
    d.items(
        "notes",
        [
            "Utvecklingsenheten, Hälso- och sjukvårdens Verksamhets- och ledningsstöd; "
            "leder och samordnar arbetet med kunskapsstöd och ger metodstöd.",
            "Varje LPO har en namngiven kontaktperson härifrån; namnen är inte publicerade.",
        ],
    )
    write(out, "regions/orebro/bodies/kunskapsstodsgruppen.yaml", d)
    d = Doc("body", 4)
    d.key("name", "Område välfärd och folkhälsa").items("aliases", ["RSS Örebro län"])
    d.add("type: other")
    d.add("members:").add("  - person: ingmar-angman").add("    role: contact-person")
    d.add("    function: Områdeschef")
    d.add("    notes:").add(
        "      - Källan anger honom som områdeschef och namnger honom längst ned på "
        "sidan; någon ordförande anges inte."
    )
    d.sources([SEED["004"]])
    d.items(
        "notes",
        [
            "Regional samverkans- och stödstruktur (RSS) för länets tolv kommuner och "
            "hälso- och sjukvården, inom förvaltningen Regional utveckling; organiserar "
            "nätverk för strategiska chefer och för MAS/MAR.",
            "Samverkan regleras i överenskommelsen ”Samverkan för kunskapsstyrning inom "
            "Hälso- och sjukvård” mellan Region Örebro län och kommunerna i länet.",
        ],
    )
    write(out, "regions/orebro/bodies/valfard-och-folkhalsa.yaml", d)
    d = Doc("lpo", 4)
    d.key("name", "LPO Psykisk hälsa")
    d.add("members:").add("  - person: lise-bergman-nordgren").add("    role: chair")
    d.sources([SEED["004"]])
    d.items(
        "notes",
        ["Övriga ledamöter och kontaktpersonen på Kunskapsstödsgruppen är inte publicerade."],
    )
    write(out, "regions/orebro/programme-areas/psykisk-halsa.yaml", d)


KS_TYPE = {
    "vardforlopp": "vardforlopp",
    "vardprogram": "vardprogram",
    "nationell-riktlinje": "nationell-riktlinje",
    "svf": "svf",
}


def knowledge_supports(out: Path, reference: Path) -> None:
    for row in read(reference, "kunskapsstod.csv"):
        d = Doc("knowledge-support", 3)
        d.key("title", row["title"]).add(f"type: {KS_TYPE[row['type']]}")
        owner = row["owner"]
        owner_ref = (
            "organisation:socialstyrelsen"
            if owner == "socialstyrelsen"
            else "organisation:rcc-i-samverkan"
            if owner == "rcc"
            else f"npo:{owner}"
        )
        d.add(f"owner: {owner_ref}")
        if row["remiss"]:
            start, _, end = row["remiss"].partition("/")
            d.add("remiss:").add(f'  from: "{start}"')
            if end:
                d.add(f'  to: "{end}"')
        if row["decided"]:
            d.add(f'decided: "{row["decided"]}"')
        d.key("url", row["url"])
        d.sources(
            [row["url"], *split_sources(row["source"])]
            if row["url"]
            else split_sources(row["source"])
        )
        d.key("confidence", CONF[row["confidence"]])
        d.items("notes", [row["note"]] if row["note"] else [])
        write(out, f"national/knowledge-supports/{row['id']}.yaml", d)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=Path("../shared/reference"))
    parser.add_argument("--seeds", type=Path, default=Path("../shared/seeds"))
    parser.add_argument("--out", type=Path, required=True, help="a folder that does not exist")
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} exists; this retired script writes only into a new folder")
    settings(args.out)
    glossary(args.out, args.seeds)
    healthcare_regions(args.out, args.reference)
    regions(args.out, args.reference)
    names = {r["id"]: r["name"] for r in read(args.reference, "npo.csv")}
    areas = programme_areas(args.out, args.reference)
    mellansverige_rpo(args.out, areas, names)
    collaboration_groups(args.out, args.reference)
    organisations(args.out)
    bodies(args.out)
    orebro(args.out)
    knowledge_supports(args.out, args.reference)
    print(f"{args.out}: {sum(1 for _ in args.out.rglob('*.yaml'))} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
