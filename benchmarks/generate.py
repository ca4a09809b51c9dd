"""Write a synthetic registry of N files in the real layout, deterministic for a seed.

Shaped like the national registry: the six healthcare regions and 21 regions, the national
areas with their hosting, an RPO per area and healthcare region, an LPO per area and
region, working groups, bodies, knowledge supports, each region's handling of them, and
people (about half the files) with seats in the groups; Swedish names, comments, dated
memberships, references that resolve, and a configurable share of deliberate errors
(unknown keys, dangling references, impossible dates).

    python benchmarks/generate.py OUT --files 20000 [--seed 1] [--errors 0.01]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

HR = {
    "norra": ["norrbotten", "vasterbotten", "jamtland-harjedalen", "vasternorrland"],
    "mellansverige": [
        "dalarna",
        "gavleborg",
        "sormland",
        "uppsala",
        "varmland",
        "vastmanland",
        "orebro",
    ],
    "stockholm-gotland": ["stockholm", "gotland"],
    "vastra": ["vastra-gotaland"],
    "sydostra": ["jonkoping", "kalmar", "ostergotland"],
    "sodra": ["blekinge", "halland", "kronoberg", "skane"],
}
AREAS = [
    "akut-vard",
    "barn-och-ungdomars-halsa",
    "cancersjukdomar",
    "endokrina-sjukdomar",
    "hjart-och-karlsjukdomar",
    "hud-och-konssjukdomar",
    "infektionssjukdomar",
    "kirurgi-och-plastikkirurgi",
    "kvinnosjukdomar-och-forlossning",
    "levnadsvanor",
    "lung-och-allergisjukdomar",
    "mag-och-tarmsjukdomar",
    "medicinsk-diagnostik",
    "nervsystemets-sjukdomar",
    "njur-och-urinvagssjukdomar",
    "ogonsjukdomar",
    "oron-nas-och-halssjukdomar",
    "perioperativ-vard",
    "psykisk-halsa",
    "rehabilitering",
    "reumatiska-sjukdomar",
    "rorelseorganens-sjukdomar",
    "sallsynta-sjukdomar",
    "tandvard",
    "aldres-halsa",
    "primarvardsradet",
]
FIRST = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Per",
    "Kerstin",
    "Johan",
    "Åsa",
    "Örjan",
    "Ingrid",
    "Mikael",
    "Britt",
    "Göran",
    "Sofia",
    "Jonas",
    "Elin",
    "Björn",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Ångström",
]
ROLES = ["member"] * 8 + ["substitute", "adjunct", "patient-representative"]
STAGES = ["remiss", "kartlaggning", "beslut", "implementering", "uppfoljning"]


def label(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


class Writer:
    def __init__(self, root: Path, rng: random.Random, errors: float) -> None:
        self.root, self.rng, self.errors, self.count = root, rng, errors, 0
        self.broken: list[str] = []

    def write(self, rel: str, lines: list[str]) -> None:
        if self.rng.random() < self.errors:
            kind = self.rng.choice(["key", "date", "ref"])
            lines = [
                *lines,
                {
                    "key": "nmae: stavfel",
                    "date": "notes: [ändrad 2024-02-30]",
                    "ref": "# dangling reference below",
                }[kind],
            ]
            if kind == "date":
                lines[-1] = (
                    "to: 2024-02-30"
                    if not any(x.startswith("to:") for x in lines)
                    else "nmae: stavfel"
                )
            if kind == "ref":
                lines.append(
                    "mirrors: finns-inte"
                    if rel.split("/")[-2] == "programme-areas"
                    else "nmae: stavfel"
                )
            self.broken.append(rel)
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.count += 1


NOTES = [
    "Uppgifterna är hämtade från den regionala webbplatsen och stämda av med kansliet.",
    "Mandatperioden följer den nationella överenskommelsen om kunskapsstyrning.",
    "Gruppen samverkar med motsvarande grupper i övriga sjukvårdsregioner.",
    "Representationen ses över inför varje ny mandatperiod enligt beslut i styrgruppen.",
    "Kontaktuppgifter publiceras endast när en offentlig källa redan visar dem.",
]


def modeline(kind: str, rel: str) -> str:
    """The yaml-language-server line the real registry's files start with."""
    up = "../" * rel.count("/")
    return f"# yaml-language-server: $schema={up}../schemas/{kind}.schema.json"


def source(rng: random.Random) -> list[str]:
    n = rng.randrange(10**6)
    return [
        "sources:",
        f"  - url: https://example.org/kunskapsstyrning/programomraden/{n}.html",
        f"    title: Kunskapsstyrning hälso- och sjukvård, sida {n}",
        "    retrieved: 2026-11-22",
        "  - document: Protokoll från sjukvårdsregionens samverkansnämnd (projektets källdokument)",
        "    retrieved: 2026-11-22",
    ]


def notes(rng: random.Random, n: int = 2) -> list[str]:
    return ["notes:", *(f"  - {note}" for note in rng.sample(NOTES, n))]


def members(
    rng: random.Random, people: list[tuple[str, str]], n: int, represents: list[str]
) -> list[str]:
    lines = ["members:", "  # mandatperiod två år; ordförande utses av gruppen"]
    chosen = rng.sample(people, min(n, len(people)))
    for i, (pid, _) in enumerate(chosen):
        start = f"2025-{rng.randint(1, 12):02d}-01"  # current two-year mandates
        role = "chair" if i == 0 else rng.choice(ROLES)
        lines += [f"  - person: {pid}", f"    role: {role}"]
        if rng.random() < 0.3:
            lines.append("    function: Representant för verksamhetsområdet")
        if represents:
            lines.append(f"    represents: {represents[i % len(represents)]}")
        lines += [f"    from: {start}", "    mandate_years: 2"]
    return lines


def generate(out: Path, files: int, seed: int, errors: float) -> Writer:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    w = Writer(out / "registry", rng, errors)
    w.write("ksctl.yaml", ["version: 1", "rules:", "  KS461: 'off'"])
    w.write(
        "national/organisations/skr.yaml",
        [
            "name: Sveriges Kommuner och Regioner",
            "abbreviation: SKR",
            "type: association",
            *source(rng),
        ],
    )
    counties = iter(range(1, 26))
    for hr, regions in HR.items():
        w.write(
            f"healthcare-regions/{hr}/healthcare-region.yaml",
            [f"name: {label(hr)}", f"official_name: Sjukvårdsregion {label(hr)}", *source(rng)],
        )
        for region in regions:
            code = f"{next(counties):02d}"
            munis = ["municipalities:"] + [
                f"  - {{code: '{code}{i:02d}', name: Kommun {i}}}" for i in range(1, 15)
            ]
            w.write(
                f"regions/{region}/region.yaml",
                [
                    f"name: Region {label(region)}",
                    f"county_code: '{code}'",
                    f"healthcare_region: {hr}",
                    *munis,
                    *source(rng),
                ],
            )
    regions_all = [r for rs in HR.values() for r in rs]
    # People: about half of all files, spread over the regions.
    n_people = max(30, files // 2)
    people = []
    for i in range(n_people):
        region = regions_all[i % len(regions_all)]
        pid = f"p{i:05d}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        people.append((pid, region))
        rel = f"regions/{region}/people/{pid}.yaml"
        email = name.lower().replace(" ", ".").translate(str.maketrans("åäö", "aao"))
        w.write(
            rel,
            [
                modeline("person", rel),
                f"# {name}, {label(region)}",
                f"name: {name}",
                "title: Överläkare, verksamhetschef",
                f"employer: region:{region}",
                "unit: Hälso- och sjukvårdsförvaltningen, Utvecklingsenheten",
                "contact:",
                f"  - {{type: email, value: {email}@region{i % 21}.se}}",
                f"  - {{type: phone, value: '010-{rng.randrange(10**6):06d}'}}",
                "conflict_of_interest:",
                "  declared: 2019-01-15",
                f"  assessed: 202{rng.randint(4, 6)}-01-15",
                *notes(rng, 1),
                *source(rng),
            ],
        )
    hrs = list(HR)
    for a, area in enumerate(AREAS):
        host = hrs[a % len(hrs)]
        rel = f"national/programme-areas/{area}.yaml"
        w.write(
            rel,
            [
                modeline("npo", rel),
                f"name: {label(area)}",
                "hosting:",
                f"  - host: healthcare-region:{host}",
                "    from: 2018-01-01  # beslut 2018",
                *members(rng, people, 7, [f"healthcare-region:{h}" for h in hrs]),
                *notes(rng),
                *source(rng),
            ],
        )
        for hr, regions in HR.items():
            rel = f"healthcare-regions/{hr}/programme-areas/{area}.yaml"
            w.write(
                rel,
                [
                    modeline("rpo", rel),
                    f"name: RPO {label(area)}",
                    *members(rng, people, len(regions) + 1, [f"region:{r}" for r in regions]),
                    *notes(rng),
                    *source(rng),
                ],
            )
        for region in regions_all:
            rel = f"regions/{region}/programme-areas/{area}.yaml"
            w.write(
                rel,
                [
                    modeline("lpo", rel),
                    f"name: LPO {label(area)}",
                    *members(rng, people, 6, []),
                    *notes(rng, 1),
                    *source(rng),
                ],
            )
    supports = []
    i = 0
    while w.count < files:
        i += 1
        area = AREAS[i % len(AREAS)]
        pick = i % 10
        if pick < 3:
            ks = f"ks-{i:05d}"
            supports.append(ks)
            rel = f"national/knowledge-supports/{ks}.yaml"
            w.write(
                rel,
                [
                    modeline("knowledge-support", rel),
                    f"title: Vårdförlopp {i}",
                    "type: vardforlopp",
                    f"owner: npo:{area}",
                    "remiss:",
                    "  from: 2023-01-10",
                    "  to: 2023-03-10",
                    "decided: 2023-06",
                    *notes(rng, 1),
                    *source(rng),
                ],
            )
        elif pick < 7 and supports:
            region = rng.choice(regions_all)
            ks = rng.choice(supports)
            stage = rng.randrange(len(STAGES))
            steps = ["steps:"] + [
                f"  - {{stage: {s}, date: 202{3 + k // 3}-0{1 + k}-01}}"
                for k, s in enumerate(STAGES[: stage + 1])
            ]
            extra = (
                [
                    "gap_analysis:",
                    "  date: 2023-05-01",
                    "  summary: >-",
                    "    Verksamheterna har jämfört nuvarande arbetssätt med kunskapsstödet;",
                    "    största gapen gäller uppföljning och patientinformation.",
                ]
                if stage >= 1
                else []
            )
            if stage >= 2:
                extra += [
                    "decision:",
                    "  date: 2024-01-01",
                    "  by: Hälso- och sjukvårdens ledningsgrupp",
                    "  summary: Kunskapsstödet införs i hela regionen under två år.",
                ]
            if STAGES[stage] == "uppfoljning":
                extra.append("follow_up: {indicators: [följsamhet], next: 2027-01-01}")
            path = f"regions/{region}/handling/{ks}.yaml"
            if (w.root / path).exists():
                continue
            w.write(
                path,
                [
                    modeline("handling", path),
                    f"stage: {STAGES[stage]}",
                    *steps,
                    *extra,
                    f"responsible_lpo: {region}/{area}",
                    *notes(rng, 1),
                    *source(rng),
                ],
            )
        elif pick < 9:
            region = rng.choice(regions_all)
            rel = f"regions/{region}/working-groups/{area}/lag-{i:05d}.yaml"
            w.write(
                rel,
                [
                    modeline("lag", rel),
                    f"name: LAG {i}",
                    *members(rng, people, 5, []),
                    *notes(rng, 1),
                    *source(rng),
                ],
            )
        else:
            rel = f"national/working-groups/{area}/nag-{i:05d}.yaml"
            w.write(
                rel,
                [
                    modeline("nag", rel),
                    f"name: NAG {i}",
                    "nomination:",
                    "  deadline: 2027-03-01",
                    "  competences: [allmänmedicin, sjuksköterska]",
                    *members(rng, people, 8, [f"healthcare-region:{h}" for h in hrs]),
                    *notes(rng),
                    *source(rng),
                ],
            )
    (out / "generated.json").write_text(
        json.dumps(
            {"files": w.count, "seed": seed, "errors": errors, "broken": sorted(w.broken)}, indent=1
        )
        + "\n",
        encoding="utf-8",
    )
    return w


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", type=float, default=0.01)
    args = parser.parse_args()
    w = generate(args.out, args.files, args.seed, args.errors)
    print(f"{args.out}: {w.count} files, {len(w.broken)} with deliberate errors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
