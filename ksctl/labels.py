"""Names the registry's identifiers stand for, in Swedish. Layer 0, standard library only,
so that the fast query path and the models share one table."""

from __future__ import annotations

ROLE_LABELS: dict[str, str] = {
    "chair": "ordförande",
    "vice-chair": "vice ordförande",
    "member": "ledamot",
    "participant": "deltagare",
    "adjunct": "adjungerad",
    "substitute": "ersättare",
    "process-leader": "processledare",
    "secretary": "sekreterare",
    "contact-person": "kontaktperson",
    "patient-representative": "patient- och närståendeföreträdare",
}

STAGE_LABELS: dict[str, str] = {
    "remiss": "remiss",
    "kartlaggning": "kartläggning",
    "beslut": "beslut",
    "implementering": "implementering",
    "uppfoljning": "uppföljning",
    "avslutad": "avslutad",
}

ALL_KINDS: tuple[str, ...] = (
    "healthcare-region",
    "region",
    "municipality",
    "organisation",
    "npo",
    "rpo",
    "lpo",
    "nsg",
    "rsg",
    "lsg",
    "nag",
    "rag",
    "lag",
    "body",
    "person",
    "knowledge-support",
    "handling",
    "term",
)
