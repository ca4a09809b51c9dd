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

CONFIDENCE_LABELS: dict[str, str] = {"high": "hög", "medium": "medel", "low": "låg"}

CONTACT_LABELS: dict[str, str] = {
    "email": "e-post",
    "phone": "telefon",
    "address": "adress",
    "url": "webbadress",
}

# The Swedish words for the registry's keys, as people who write Swedish reach for them:
# the word first, then other words for the same key. ksctl writes and prints the English
# key; a Swedish one in a file gets the English as its hint.
KEY_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("namn",),
    "official_name": ("officiellt namn", "officiellt_namn"),
    "aliases": ("alias", "andra namn"),
    "abbreviation": ("förkortning",),
    "title": ("titel", "befattning"),
    "employer": ("arbetsgivare",),
    "unit": ("enhet", "verksamhet"),
    "contact": ("kontakt", "kontaktuppgifter"),
    "conflict_of_interest": ("jäv", "jävsdeklaration", "jävsförklaring"),
    "declared": ("deklarerad", "deklarerat", "lämnad"),
    "assessed": ("bedömd", "bedömt", "prövad"),
    "members": ("ledamöter", "medlemmar", "deltagare"),
    "person": ("person",),
    "role": ("roll", "uppdrag"),
    "represents": ("representerar", "företräder"),
    "function": ("funktion",),
    "vacant": ("vakant", "vakans"),
    "from": ("från", "fr.o.m.", "fr o m", "start"),
    "to": ("till", "t.o.m.", "t o m", "slut"),
    "as_of": ("per", "enligt"),
    "mandate_years": ("mandatperiod", "mandattid"),
    "hosting": ("värdskap", "värd", "värdar"),
    "host": ("värd", "värdregion"),
    "dormant_host": ("vilande värd", "vilande_värd"),
    "healthcare_region": ("sjukvårdsregion",),
    "region": ("region",),
    "municipalities": ("kommuner",),
    "county_code": ("länskod", "länsnummer"),
    "code": ("kod", "kommunkod"),
    "status": ("status",),
    "type": ("typ", "sort"),
    "notes": ("anteckningar", "anteckning", "kommentar", "kommentarer", "noteringar"),
    "sources": ("källor", "källa"),
    "url": ("länk", "webbadress"),
    "document": ("dokument",),
    "retrieved": ("hämtad", "hämtat"),
    "published": ("publicerad", "publicerat"),
    "confidence": ("säkerhet", "tillförlitlighet"),
    "public": ("offentlig", "publik"),
    "value": ("värde",),
    "stage": ("skede", "fas"),
    "steps": ("steg",),
    "decision": ("beslut",),
    "decided": ("beslutad", "beslutat", "beslutsdatum"),
    "date": ("datum",),
    "deadline": ("sista dag", "sista_dag", "deadline"),
    "owner": ("ägare",),
    "summary": ("sammanfattning",),
    "tasks": ("uppgifter",),
    "duties": ("åtaganden",),
    "nomination": ("nominering",),
    "competences": ("kompetenser",),
    "open_questions": ("öppna frågor", "öppna_frågor"),
    "question": ("fråga",),
    "history": ("historik",),
    "event": ("händelse",),
    "follow_up": ("uppföljning",),
    "next": ("nästa",),
    "participation_shares": ("deltagarandelar", "andelar"),
    "percent": ("procent", "andel"),
    "parent": ("överordnad",),
    "predecessor": ("föregångare",),
    "contact_person": ("kontaktperson",),
    "level": ("nivå",),
    "text": ("text",),
    "topic": ("ämne",),
    "governance": ("styrning",),
    "explanation": ("förklaring",),
    "expansion": ("utläsning", "betydelse"),
}
