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
from ksctl.labels import ROLE_LABELS, STAGE_LABELS, field_label
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

SHORT = 60  # characters: a value no longer than this is shown before and after

# How a label's participle agrees: "titel borttagen", "namn borttaget", "noteringar
# borttagna". The labels of FIELD_LABELS that are ett-words, and those that are plural.
NEUTER = {
    "county_code": False,
    **dict.fromkeys(
        (
            "name",
            "official_name",
            "cooperation_body",
            "parent",
            "decided",
            "decision",
            "mirrors",
            "responsible_lpo",
            "municipal_participation",
            "to",
            "date",
            "declared",
            "assessed",
            "document",
            "hosting",
            "id",
            "published",
            "retrieved",
            "topic",
            "value",
        ),
        True,
    ),
}
PLURAL = {
    "aliases",
    "competences",
    "contact",
    "duties",
    "indicators",
    "knowledge_supports",
    "levels",
    "maintainers",
    "members",
    "municipalities",
    "notes",
    "open_questions",
    "participation_shares",
    "sources",
    "steps",
    "tasks",
    "terms",
}
_FORMS = {
    "added": ("tillagd", "tillagt", "tillagda"),
    "removed": ("borttagen", "borttaget", "borttagna"),
    "changed": ("ändrad", "ändrat", "ändrade"),
}


def _said(field: str, what: str) -> str:
    """The label of `field` with the participle of `what` ("added", "removed", "changed")
    in agreement: "noteringar borttagna", "namn ändrat", "titel tillagd"."""
    forms = _FORMS[what]
    form = forms[2] if field in PLURAL else forms[1] if NEUTER.get(field) else forms[0]
    return f"{field_label(field)} {form}"


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def title(ref: str, names: Mapping[str, str]) -> str:
    """An entity as a change names it: "NPO Akut vård", "RPO Akut vård, Norra
    sjukvårdsregionen", "Kunskapsrådet, Västra Götalandsregionen"."""
    kind, _, ident = ref.partition(":")
    found = kinds.find(kind)
    name = names.get(ref, ident)
    label = found.titled(name) if found is not None else name
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
    "status": {  # in the middle of a sentence: "status pågår → vilande"
        **{k: v.lower() for k, v in WORKING_GROUP_STATUS.items()},
        "established": "inrättat",
        "not-established": "inte inrättat",
    },
    "form": {k: v.lower() for k, v in WORKING_GROUP_FORM.items()},
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
    return _field_change(change.field, change.before, change.after, names, kind)


def _field_change(field: str, old: Any, new: Any, names: Mapping[str, str], kind: str) -> str:
    """One field's change: its new value when short enough to show, else what happened to
    it (a long value added is added, never "removed")."""
    label = field_label(field)
    before, after = _value(field, old, names, kind), _value(field, new, names, kind)
    if _empty(new):
        return _said(field, "removed")
    if _empty(old):
        return f"{label} {after}" if after is not None else _said(field, "added")
    if before is not None and after is not None:
        return f"{label} {before} → {after}"
    return _said(field, "changed")


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
            labels = [field_label(c.field or "") for c in run]
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
        moved = [
            f"{verb} nu {after.get(end) or '(öppet)'}"
            for end, verb in (("from", "börjar"), ("to", "slutar"))
            if before.get(end) != after.get(end)
        ]
        if moved:
            return f"värdskapet hos {host} {' och '.join(moved)}"
        return f"värdskapet hos {host} ändrat"
    if before:
        return f"värd byts från {_name(before.get('host'), names)} till {host}{dormant}{since}"
    return f"värd {host}{dormant}{since}"


def _seat(change: Change, names: Mapping[str, str]) -> str:
    seat: Mapping[str, Any] = change.after or change.before or {}
    person = "en vakant plats" if seat.get("vacant") else _name(seat.get("person"), names, "person")
    role = ROLE_LABELS.get(str(seat.get("role") or "member"), str(seat.get("role")))
    if change.field == "members":
        # A seat entered in or taken out of the registry: with the period the seat itself
        # gives (a registry's change is not an appointment, nor a departure).
        period = _seat_period(seat)
        if change.change == "added":
            if seat.get("vacant"):
                return f"vakant plats som {role} införd{period}"
            return f"{person} införd som {role}{period}"
        if seat.get("vacant"):
            return f"vakant plats som {role} borttagen ur registret"
        return f"{person} som {role}{period} borttagen ur registret"
    sub = change.field.split(".", 1)[1] if change.field else ""
    old: Mapping[str, Any] = change.before or {}
    new: Mapping[str, Any] = change.after or {}
    a, b = old.get(sub), new.get(sub)
    if sub == "role":
        a, b = ROLE_LABELS.get(str(a), a), ROLE_LABELS.get(str(b), b)
    if sub in ("represents", "person"):
        a = _name(a, names) if a else a
        b = _name(b, names) if b else b
    if sub in ("from", "to") and b:  # the mandate's start or end, set or moved
        if seat.get("vacant"):
            what = f"vakant plats som {role}"
        elif person == seat.get("person"):  # an id the registry has no name for
            what = f"uppdraget som {role} för {person}"
        else:
            what = f"{genitive(person)} uppdrag som {role}"
        verb = "börjar" if sub == "from" else "slutar"
        return f"{what} {verb} {b}" + (f" (tidigare {a})" if a else "")
    return f"{person}: {_field_change(sub, a, b, names, '')}"


def genitive(name: str) -> str:
    """A Swedish genitive: "Eva Eks", "Lars" (a name ending in s, x or z takes none)."""
    name = name.strip()
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _seat_period(seat: Mapping[str, Any]) -> str:
    """ " från 2027-01-01", " 2018 – 2020", " enligt källa 2022-07" or nothing."""
    start, end = seat.get("from"), seat.get("to")
    if start and end:
        return f" {start} – {end}"
    if start:
        return f" från {start}"
    if end:
        return f" till {end}"
    return f" enligt källa {seat['as_of']}" if seat.get("as_of") else ""


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
                Entry(
                    f"… och {more} {'rad' if more == 1 else 'rader'} till (flera ändringar "
                    "av samma post står på en rad); de står på sidorna de gäller."
                )
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
