"""Names the registry's values stand for, in Swedish (roles, stages). Standard library
only, so that the fast query path and the models share one table. The kinds' names are in
`ksctl.kinds`."""

from __future__ import annotations

ROLE_LABELS: dict[str, str] = {
    "chair": "ordförande",
    "co-chair": "medordförande",
    "vice-chair": "vice ordförande",
    "head": "chef",
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
