"""The registry the site's tests read: the frozen national fixture with the kinds of data the
site shows on top of it (the system page, governance, open questions, a body's tasks, a
focus area, a university hospital, sourced and upcoming seats), written inline so that no
test reads the live registry/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import NATIONAL_FIXTURE, build_tree

OVERLAY = {
    "national/system.yaml": (
        "name: Nationellt system för kunskapsstyrning hälso- och sjukvård\n"
        "history:\n"
        "  - date: 2017-05\n"
        "    event: SKL:s styrelse rekommenderade en sammanhållen struktur för kunskapsstyrning.\n"
        "    sources:\n"
        "      - title: Nationella vårdprogram ska bana väg för jämlik vård\n"
        "        url: https://example.org/lakartidningen-2017\n"
        "        published: 2017-05\n"
        "        retrieved: 2026-12-02\n"
        "    confidence: high\n"
        "  - date: '2018'\n"
        "    event: Systemet trädde i kraft.\n"
        "    confidence: medium\n"
        "levels:\n"
        "  - level: national\n"
        "    role: Tar fram, förvaltar och följer upp nationella kunskapsstöd.\n"
        "  - level: healthcare-regional\n"
        "    role: Anpassar och samordnar i sjukvårdsregionen.\n"
        "  - level: local\n"
        "    role: Anpassar och inför i regionen.\n"
        "duties:\n"
        "  - name: Remiss\n"
        "    text: Varje region svarar på remissen av ett nationellt kunskapsstöd.\n"
        "representation:\n"
        "  - name: Patientföreträdare\n"
        "    text: Patient- och närståendeföreträdare deltar på alla nivåer.\n"
        "open_questions:\n"
        "  - id: styrelsebeslut-2017\n"
        "    question: Vilket datum beslutade SKL:s styrelse rekommendationen?\n"
    ),
    "regions/skane/organisations/skanes-universitetssjukhus.yaml": (
        "name: Skånes universitetssjukhus\nabbreviation: SUS\ntype: university-hospital\n"
    ),
    "national/working-groups/akut-vard/sepsis-insats.yaml": (
        "name: Insatsområde sepsis\n"
        "form: focus-area\n"
        "status: dormant\n"
        "predecessor: Nationella programrådet för akut vård\n"
        "knowledge_supports: [vf-sepsis]\n"
    ),
    "regions/orebro/people/ulla-upcoming.yaml": "name: Ulla Kommande\n",
}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def build(root: Path) -> Path:
    """Write the reader's registry at `root`/registry; return the registry folder."""
    registry = root / "registry"
    shutil.copytree(NATIONAL_FIXTURE, registry)
    build_tree(registry, OVERLAY)
    _append(
        registry / "regions/orebro/region.yaml",
        "governance:\n"
        "  - name: Uppdragsgivare\n"
        "    topic: commissioning\n"
        "    text: Hälso- och sjukvårdsdirektören är uppdragsgivare för kunskapsstödsprocessen.\n"
        "    confidence: high\n"
        "    sources:\n"
        "      - title: Lokal nivå i Örebro län\n"
        "        url: https://example.org/orebro/lokal-niva\n"
        "        published: 2024-04-16\n"
        "        retrieved: 2026-12-02\n",
    )
    _append(
        registry / "healthcare-regions/vastra/healthcare-region.yaml",
        "governance:\n"
        "  - topic: nominations\n"
        "    text: Sjukvårdsregionen nominerar ledamöter till nationella grupper.\n"
        "    person: ulla-upcoming\n",
    )
    _append(
        registry / "regions/orebro/bodies/rmks.yaml",
        "tasks:\n"
        "  - name: Godkänna LPO\n"
        "    text: Godkänna sammansättningen av varje lokalt programområde.\n",
    )
    _append(
        registry / "national/programme-areas/akut-vard.yaml",
        "members:\n"
        "  - person: ulla-upcoming\n"
        "    role: member\n"
        "    represents: healthcare-region:mellansverige\n"
        "    function: Ledamot för sjukvårdsregionen\n"
        "    from: 2099-01-01\n"
        "open_questions:\n"
        "  - id: ordforande-2026\n"
        "    question: Vem är ordförande från 2026?\n",
    )
    _append(
        registry / "national/collaboration-groups/patientsakerhet.yaml",
        "members:\n"
        "  - person: ulla-upcoming\n"
        "    role: participant\n"
        "    as_of: 2024-04-16\n"
        "    confidence: medium\n"
        "    sources:\n"
        "      - url: https://example.org/nsg-patientsakerhet\n"
        "        published: 2024-04-16\n",
    )
    return registry
