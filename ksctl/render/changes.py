"""What changed, when, in Swedish: the page "Senaste ändringar" and each change phrased
from the domain diff (`ksctl.history`): "NPO Ögonsjukdomar: värd byts från Södra
sjukvårdsregionen till Västra sjukvårdsregionen från 2027-01-01".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ksctl import kinds
from ksctl.diffing import VALIDATION, Change
from ksctl.history import NO_COMMITS, NOT_GIT, SHALLOW, History, Revision, reference_fields
from ksctl.labels import ROLE_LABELS, STAGE_LABELS
from ksctl.render.site import (
    CONFIDENCE,
    WORKING_GROUP_FORM,
    WORKING_GROUP_STATUS,
    Cell,
    Entry,
    Page,
    Section,
)

if TYPE_CHECKING:
    from ksctl.render.site import SiteBuilder

PAGE = "andringar"
FEED = "andringar.xml"
LISTED = 40  # changes listed per commit on the page; each entity's page lists its own

FIELD = {
    "abbreviation": "förkortning",
    "aliases": "andra namn",
    "category": "kategori",
    "conflict_of_interest": "jävsdeklaration",
    "confidence": "säkerhet",
    "contact": "kontaktuppgifter",
    "contact_person": "kontaktperson",
    "cooperation_body": "samverkansorgan",
    "county_code": "länskod",
    "decided": "beslutsdatum",
    "decision": "beslut",
    "duties": "regionernas åtaganden",
    "employer": "arbetsgivare",
    "follow_up": "uppföljning",
    "form": "form",
    "from": "start",
    "gap_analysis": "gapanalys",
    "governance": "styrning",
    "healthcare_region": "sjukvårdsregion",
    "history": "historia",
    "knowledge_support_unit": "kunskapsstödsenhet",
    "knowledge_supports": "kunskapsstöd",
    "levels": "nivåernas uppdrag",
    "local_process": "lokal process",
    "maintainers": "förvaltare",
    "mirrors": "speglat programområde",
    "municipal_participation": "kommunernas deltagande",
    "municipalities": "kommuner",
    "name": "namn",
    "nomination": "nominering",
    "notes": "noteringar",
    "official_name": "officiellt namn",
    "open_questions": "öppna frågor",
    "organisation": "organisation",
    "owner": "ägare",
    "parent": "överordnat organ",
    "participation_shares": "regionernas andelar",
    "predecessor": "föregångare",
    "region": "region",
    "remiss": "remiss",
    "representation": "representation",
    "responsible_lpo": "ansvarigt LPO",
    "responsible_person": "ansvarig person",
    "status": "status",
    "steps": "steg",
    "tasks": "uppgifter",
    "title": "titel",
    "to": "slut",
    "type": "typ",
    "unit": "enhet",
    "url": "webbplats",
}
SHORT = 60  # characters: a value no longer than this is shown before and after


def title(ref: str, names: Mapping[str, str]) -> str:
    """An entity as a change names it: "NPO Akut vård", "RPO Akut vård, Norra
    sjukvårdsregionen", "Kunskapsrådet, Västra Götalandsregionen"."""
    kind, _, ident = ref.partition(":")
    found = kinds.find(kind)
    name = names.get(ref, ident)
    short = found.short if found is not None else None
    said = found.label.split()[0].casefold() if found is not None and found.label else ""
    named = name.startswith(short or "\0") or (said and name.casefold().startswith(said))
    label = f"{short} {name}" if short and not named else name
    if kind == "handling":
        region, _, ks = ident.partition("/")
        who = names.get(f"region:{region}", region)
        return f"{who}s hantering av {names.get(f'knowledge-support:{ks}', ks)}"
    if "/" in ident and kind not in ("nag",):
        place = ident.split("/", 1)[0]
        where = names.get(f"healthcare-region:{place}") or names.get(f"region:{place}")
        if where:
            label += f", {where}"
    return label


def _name(ref: Any, names: Mapping[str, str], kind: str = "") -> str:
    if not ref:
        return "—"
    text = str(ref)
    if text == "self":
        return "sig själv"
    full = text if ":" in text or not kind else f"{kind}:{text}"
    return names.get(full, text)


def _value(field: str, value: Any, names: Mapping[str, str], kind: str) -> str | None:
    """A value short enough to show, as text (a reference as the name it names); None for
    anything longer or nested."""
    if value in (None, "", []):
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    refs = reference_fields(kind)
    if field in refs and isinstance(value, str):
        return _name(value, names, refs[field])
    if isinstance(value, str) and field in VALUES:
        return VALUES[field].get(value, value)
    if isinstance(value, (str, int, float)) and len(str(value)) <= SHORT:
        return str(value)
    return None


VALUES: dict[str, Mapping[str, str]] = {
    "confidence": CONFIDENCE,
    "status": {
        **WORKING_GROUP_STATUS,
        "established": "inrättat",
        "not-established": "inte inrättat",
    },
    "form": WORKING_GROUP_FORM,
    "category": {"npo": "programområde", "council": "råd"},
}


def phrase(change: Change, names: Mapping[str, str], *, subject: bool = True) -> str:
    """One change in Swedish; without `subject`, without the entity's own name in front
    (on the entity's own page)."""
    text = _phrase(change, names)
    if subject:
        return f"{title(change.ref, names)}: {text}"
    return text[:1].upper() + text[1:]


def _phrase(change: Change, names: Mapping[str, str]) -> str:
    kind = change.ref.partition(":")[0]
    if change.field == VALIDATION:
        if change.after == "fails":
            return "klarar inte kontrollen (ksctl validate)"
        return "klarar kontrollen igen"
    if change.field is None:
        return "tillagd" if change.change == "added" else "borttagen"
    if change.field == "hosting":
        return _hosting(change, names)
    if change.field == "members" or change.field.startswith("members."):
        return _seat(change, names)
    if change.field == "stage":
        old = STAGE_LABELS.get(str(change.before), str(change.before))
        new = STAGE_LABELS.get(str(change.after), str(change.after))
        return f"steg {old} → {new}"
    label = FIELD.get(change.field, change.field.replace("_", " "))
    before = _value(change.field, change.before, names, kind)
    after = _value(change.field, change.after, names, kind)
    if change.before in (None, "", []) and after is not None:
        return f"{label} {after}"
    if change.after in (None, "", []):
        return f"{label} borttagen"
    if before is not None and after is not None:
        return f"{label} {before} → {after}"
    return f"{label} ändrade"


def _plain(change: Change) -> bool:
    """A change to one field of an entity that a list of changed fields can say."""
    return (
        change.field is not None
        and change.field
        not in (
            VALIDATION,
            "hosting",
            "stage",
        )
        and not change.field.startswith("members")
    )


def grouped(changes: list[Change], names: Mapping[str, str], *, subject: bool = True) -> list[str]:
    """The changes phrased, several plain field changes of one entity in one line:
    "Region Halland: styrning, lokal process och noteringar ändrade"."""
    out: list[str] = []
    run: list[Change] = []

    def flush() -> None:
        if len(run) == 1:
            out.append(phrase(run[0], names, subject=subject))
        elif run:
            labels = [FIELD.get(c.field or "", (c.field or "").replace("_", " ")) for c in run]
            text = f"{', '.join(labels[:-1])} och {labels[-1]} ändrade"
            out.append(
                f"{title(run[0].ref, names)}: {text}" if subject else text[:1].upper() + text[1:]
            )
        run.clear()

    for c in changes:
        if _plain(c) and (not run or run[0].ref == c.ref):
            run.append(c)
            continue
        flush()
        if _plain(c):
            run.append(c)
        else:
            out.append(phrase(c, names, subject=subject))
    flush()
    return out


def _hosting(change: Change, names: Mapping[str, str]) -> str:
    before: Mapping[str, Any] = change.before or {}
    after: Mapping[str, Any] = change.after or {}
    if not after:
        return f"värdskapet hos {_name(before.get('host'), names)} borttaget"
    host = _name(after.get("host"), names)
    dormant = (
        f" (vilande värd {_name(after['dormant_host'], names, 'healthcare-region')})"
        if after.get("dormant_host")
        else ""
    )
    since = f" från {after['from']}" if after.get("from") else ""
    if before and before.get("host") == after.get("host"):
        if before.get("from") != after.get("from"):
            return f"värdskapet hos {host} börjar nu {after.get('from') or '(öppet)'}"
        if before.get("to") != after.get("to"):
            return f"värdskapet hos {host} slutar nu {after.get('to') or '(öppet)'}"
        return f"värdskapet hos {host} ändrat"
    if before:
        return f"värd byts från {_name(before.get('host'), names)} till {host}{dormant}{since}"
    return f"värd {host}{dormant}{since}"


def _seat(change: Change, names: Mapping[str, str]) -> str:
    seat: Mapping[str, Any] = change.after or change.before or {}
    person = "en vakant plats" if seat.get("vacant") else _name(seat.get("person"), names, "person")
    role = ROLE_LABELS.get(str(seat.get("role") or "member"), str(seat.get("role")))
    if change.field == "members":
        if change.change == "added":
            if seat.get("vacant"):
                return "vakant plats tillagd"
            since = f" från {seat['from']}" if seat.get("from") else ""
            return f"{person} ny som {role}{since}"
        return f"{person} har lämnat"
    sub = change.field.split(".", 1)[1] if change.field else ""
    label = {"role": "roll", "to": "slut", "from": "start", "function": "funktion"}.get(
        sub, FIELD.get(sub, sub)
    )
    old: Mapping[str, Any] = change.before or {}
    new: Mapping[str, Any] = change.after or {}
    a, b = _value(sub, old.get(sub), names, ""), _value(sub, new.get(sub), names, "")
    if sub == "role":
        a = ROLE_LABELS.get(str(old.get(sub)), a)
        b = ROLE_LABELS.get(str(new.get(sub)), b)
    if sub == "represents":
        a, b = _name(old.get(sub), names), _name(new.get(sub), names)
    if a is None and b is not None:
        return f"{person}: {label} {b}"
    if b is None:
        return f"{person}: {label} borttagen"
    if a is not None:
        return f"{person}: {label} {a} → {b}"
    return f"{person}: {label} ändrad"


def counts(revision: Revision) -> str:
    """How much a commit changed: "3 tillagda, 1 borttagen, 12 ändringar"."""
    seen: Counter[str] = Counter()
    for c in revision.changes:
        seen[c.change if c.field is None else "changed"] += 1
    parts = []
    if seen["added"]:
        parts.append(f"{seen['added']} {'tillagd' if seen['added'] == 1 else 'tillagda'}")
    if seen["removed"]:
        parts.append(f"{seen['removed']} {'borttagen' if seen['removed'] == 1 else 'borttagna'}")
    if seen["changed"]:
        parts.append(f"{seen['changed']} {'ändring' if seen['changed'] == 1 else 'ändringar'}")
    return ", ".join(parts) or "inga ändringar i sak"


def summaries(revision: Revision) -> list[str]:
    """What a commit changed, phrased; the commit that created the registry as one line."""
    if revision.first:
        return [f"Registret skapades med {len(revision.changes)} poster."]
    return grouped(revision.changes, revision.names)


MISSING = {
    NOT_GIT: "Registret ligger inte i ett git-arkiv, så ändringshistoriken är okänd.",
    SHALLOW: "Den här publiceringen byggdes från en grund klon (utan äldre commits), så "
    "ändringshistoriken finns inte med. Bygg från en fullständig klon för att visa den.",
    NO_COMMITS: "Inga commits har ändrat registret ännu.",
}


def pages(builder: SiteBuilder) -> list[Page]:
    page = Page(PAGE, "Senaste ändringar", "changes")
    page.breadcrumbs = builder.crumbs()
    history = builder.history
    page.extra["feed"] = FEED
    if history is None or history.missing:
        page.lead = MISSING.get(
            history.missing or NOT_GIT if history else NOT_GIT, MISSING[NOT_GIT]
        )
        return [page]
    page.lead = (
        "Ändringarna i registret, nyast först, som de publicerades (en commit i taget). "
        "Varje sida visar också sina egna ändringar."
    )
    if not history.complete:
        page.lead += f" Här visas de {len(history.revisions)} senaste."
    for revision in history.revisions:
        lines = summaries(revision)
        entries = [Entry(line) for line in lines[:LISTED]]
        more = len(lines) - len(entries)
        section = Section(
            f"{revision.date} – {counts(revision)}",
            entries=entries,
            ident=f"c-{revision.short}",
            lead=f"Commit {revision.short}.",
        )
        if more > 0:
            section.entries.append(
                Entry(f"… och {more} ändringar till; de står på sidorna de gäller.")
            )
        page.sections.append(section)
    return [page]


def feed_entries(history: History | None) -> list[dict[str, Any]]:
    """The feed's entries as plain data, newest first: id, time, title, lines."""
    if history is None or history.missing:
        return []
    return [
        {
            "commit": r.commit,
            "short": r.short,
            "time": r.time,
            "title": f"Ändringar {r.date}: {counts(r)}",
            "lines": summaries(r),
            "anchor": f"c-{r.short}",
        }
        for r in history.revisions
    ]


def link_cell(revision: Revision) -> Cell:
    return Cell(revision.short, f"{PAGE}#c-{revision.short}")
