"""The kinds of things the registry holds: one row each, and every list of kinds derived
from the rows.

Standard library only, so that a query answered from the snapshot (which imports no
pydantic) reads the same table as the loader, the checks and the site. A row says where a
kind's files live and what their paths name, which model checks them, its level, whether
it has seats, its Swedish names, the site section its pages go in, the words that narrow a
search to it, and, for a kind that lives inside another's file, where.

Adding a kind is its model in `ksctl.model` plus one row here (plus templates if its page
has a layout of its own). Tests register a stand-in kind with `register` and see it
loaded, validated, listed, shown, diffed and exported; `tests/test_kinds.py` checks that
every consumer covers every kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

LEVELS = ("national", "healthcare-regional", "local")


class Place:
    """Where files of a kind live: a path template with one `{}` per id part, and what the
    path itself names, as (kind, id template over the parts): the region of an LPO, the
    NPO of a NAG. (Plain classes here: a query imports this table, and a dataclass costs
    start-up time.)"""

    __slots__ = ("refs", "template")

    def __init__(self, template: str, refs: tuple[tuple[str, str], ...] = ()) -> None:
        self.template, self.refs = template, refs


class Embedding:
    """A kind whose entities live inside another kind's file: municipalities in their
    region's file (`municipalities`, keyed by `code`), terms in the glossary (`fold`: the
    id is the key's value in lower case)."""

    __slots__ = ("container", "field", "fold", "key")

    def __init__(self, container: str, field: str, key: str, fold: bool = False) -> None:
        self.container, self.field, self.key, self.fold = container, field, key, fold


class Kind:
    """One kind: see the module's doc for what each field says."""

    __slots__ = (
        "embedded",
        "entity",
        "group",
        "id",
        "ident",
        "label",
        "leads",
        "level",
        "model",
        "names",
        "places",
        "plural",
        "prefix",
        "section",
        "short",
    )

    def __init__(
        self,
        id: str,
        model: str | type[Any],  # a class of ksctl.model by name (no pydantic on import)
        places: tuple[Place, ...] = (),
        *,
        label: str = "",  # Swedish, singular: "Nationellt programområde"
        plural: str = "",  # Swedish, as a heading: "Nationella programområden (NPO)"
        short: str | None = None,  # the abbreviation people use: "NPO"
        prefix: str | None = None,  # the word before a name in running text (a diff)
        level: str | None = None,  # one of LEVELS, for the groups that mirror each other
        group: bool = False,  # has seats (members)
        section: str | None = None,  # the site's folder for its pages; None: no pages
        names: tuple[str, ...] = (),  # more words for the kind on the command line
        leads: tuple[str, ...] = (),  # words before a name that say this kind
        embedded: Embedding | None = None,
        entity: bool = True,  # False for ksctl.yaml and glossary.yaml: files, not entities
        ident: str = "path",  # a file's id: "path" (its parts joined by "/"), "name" (the
        # last part, unique across the registry), "fixed" (the kind's own id)
    ) -> None:
        self.id, self.model, self.places = id, model, places
        self.label, self.plural, self.short, self.prefix = label, plural, short, prefix
        self.level, self.group, self.section = level, group, section
        self.names, self.leads, self.embedded = names, leads, embedded
        self.entity, self.ident = entity, ident

    def __repr__(self) -> str:
        return f"Kind({self.id!r})"

    def titled(self, name: str) -> str:
        """`name` with the kind's abbreviation in front where the name does not say what
        it is ("NSG Patientsäkerhet", but "RPO Akut vård" and "Nationell arbetsgrupp
        sepsis" as they are)."""
        if not self.short or name.startswith(self.short):
            return name
        if self.label and name.casefold().startswith(self.label.split()[0].casefold()):
            return name
        return f"{self.short} {name}"

    @property
    def article(self) -> str:
        """'a person', 'an organisation', 'an npo' (abbreviations are read letter by letter)."""
        word = self.short or self.id
        spelled = self.short is not None and self.short[0] in "AEFHILMNORSX"
        return f"{'an' if spelled or word[0] in 'aeiou' else 'a'} {self.id}"


def _levelled(
    short: str, level: str, model: str, template: str, label: str, plural: str, **extra: Any
) -> Kind:
    refs: tuple[tuple[str, str], ...] = extra.pop("refs", ())
    return Kind(
        short.lower(),
        model,
        (Place(template, refs),),
        label=label,
        plural=f"{plural} ({short})",
        short=short,
        prefix=short,
        level=level,
        group=True,
        section=short.lower(),
        leads=(short.lower(), *extra.pop("leads", ())),
        **extra,
    )


_HR = (("healthcare-region", "{0}"),)
_REGION = (("region", "{0}"),)

# In the order of `ksctl stats`: places, then the groups by level, then the rest.
_TABLE: tuple[Kind, ...] = (
    Kind(
        "healthcare-region",
        "HealthcareRegion",
        (Place("healthcare-regions/{}/healthcare-region.yaml"),),
        label="Sjukvårdsregion",
        plural="Sjukvårdsregioner",
        section="sjukvardsregion",
        names=("healthcare-regions", "hr", "sjukvardsregion", "sjukvardsregioner"),
    ),
    Kind(
        "region",
        "Region",
        (Place("regions/{}/region.yaml"),),
        label="Region",
        plural="Regioner",
        section="region",
        names=("regions", "regioner"),
    ),
    Kind(
        "municipality",
        "Municipality",
        label="Kommun",
        plural="Kommuner",
        names=("municipalities", "kommun", "kommuner"),
        embedded=Embedding("region", "municipalities", "code"),
    ),
    _levelled(
        "NPO",
        "national",
        "NationalProgrammeArea",
        "national/programme-areas/{}.yaml",
        "Nationellt programområde",
        "Nationella programområden",
        leads=("nationellt programomrade",),
    ),
    _levelled(
        "NSG",
        "national",
        "CollaborationGroup",
        "national/collaboration-groups/{}.yaml",
        "Nationell samverkansgrupp",
        "Nationella samverkansgrupper",
    ),
    _levelled(
        "NAG",
        "national",
        "WorkingGroup",
        "national/working-groups/{}/{}.yaml",
        "Nationell arbetsgrupp",
        "Nationella arbetsgrupper",
        refs=(("npo|nsg", "{0}"),),  # an NPO's or an NSG's working group
    ),
    _levelled(
        "RPO",
        "healthcare-regional",
        "MirrorArea",
        "healthcare-regions/{}/programme-areas/{}.yaml",
        "Sjukvårdsregionalt programområde",
        "Sjukvårdsregionala programområden",
        refs=_HR,
        leads=("regionalt programomrade",),
    ),
    _levelled(
        "RSG",
        "healthcare-regional",
        "CollaborationGroup",
        "healthcare-regions/{}/collaboration-groups/{}.yaml",
        "Sjukvårdsregional samverkansgrupp",
        "Sjukvårdsregionala samverkansgrupper",
        refs=_HR,
    ),
    _levelled(
        "RAG",
        "healthcare-regional",
        "WorkingGroup",
        "healthcare-regions/{}/working-groups/{}/{}.yaml",
        "Sjukvårdsregional arbetsgrupp",
        "Sjukvårdsregionala arbetsgrupper",
        refs=(("rpo", "{0}/{1}"),),
    ),
    _levelled(
        "LPO",
        "local",
        "MirrorArea",
        "regions/{}/programme-areas/{}.yaml",
        "Lokalt programområde",
        "Lokala programområden",
        refs=_REGION,
        leads=("lokalt programomrade",),
    ),
    _levelled(
        "LSG",
        "local",
        "CollaborationGroup",
        "regions/{}/collaboration-groups/{}.yaml",
        "Lokal samverkansgrupp",
        "Lokala samverkansgrupper",
        refs=_REGION,
    ),
    _levelled(
        "LAG",
        "local",
        "WorkingGroup",
        "regions/{}/working-groups/{}/{}.yaml",
        "Lokal arbetsgrupp",
        "Lokala arbetsgrupper",
        refs=(("lpo", "{0}/{1}"),),
    ),
    Kind(
        "body",
        "Body",
        (
            Place("national/bodies/{}.yaml"),
            Place("healthcare-regions/{}/bodies/{}.yaml", _HR),
            Place("regions/{}/bodies/{}.yaml", _REGION),
        ),
        label="Organ",
        plural="Organ",
        group=True,
        section="organ",
        names=("bodies",),
    ),
    Kind(
        "organisation",
        "Organisation",
        (
            Place("national/organisations/{}.yaml"),
            Place("regions/{}/organisations/{}.yaml", _REGION),
        ),
        label="Organisation",
        plural="Organisationer",
        section="organisation",
        names=("organisations", "organization", "organizations"),
    ),
    Kind(
        "person",
        "Person",
        (
            Place("national/people/{}.yaml"),
            Place("healthcare-regions/{}/people/{}.yaml", _HR),
            Place("regions/{}/people/{}.yaml", _REGION),
        ),
        label="Person",
        plural="Personer",
        section="person",
        names=("people", "persons"),
        ident="name",
    ),
    Kind(
        "knowledge-support",
        "KnowledgeSupport",
        (Place("national/knowledge-supports/{}.yaml"),),
        label="Kunskapsstöd",
        plural="Kunskapsstöd",
        prefix="kunskapsstöd",
        section="kunskapsstod",
        names=("knowledge-supports", "kunskapsstod"),
    ),
    Kind(
        "handling",
        "Handling",
        (
            Place(
                "regions/{}/handling/{}.yaml",
                (("region", "{0}"), ("knowledge-support", "{1}")),
            ),
        ),
        label="Hantering av kunskapsstöd",
        plural="Hantering av kunskapsstöd",
        names=("handlings",),
    ),
    Kind(
        "term",
        "Term",
        label="Term",
        plural="Ordlista",
        names=("terms",),
        embedded=Embedding("glossary", "terms", "term", fold=True),
    ),
    Kind(
        "system",
        "System",
        (Place("national/system.yaml"),),
        label="Systemet för kunskapsstyrning",
        plural="Systemet för kunskapsstyrning",
        section="om",
        ident="fixed",
    ),
    Kind("settings", "Settings", (Place("ksctl.yaml"),), entity=False, ident="fixed"),
    Kind("glossary", "Glossary", (Place("glossary.yaml"),), entity=False, ident="fixed"),
)

_KINDS: dict[str, Kind] = {k.id: k for k in _TABLE}
_version = 0  # bumped by `register`, so that tables derived from the rows are made again


def version() -> int:
    return _version


def register(kind: Kind) -> None:
    """Add (or replace) a kind: every list derived from the table follows."""
    global _version
    _KINDS[kind.id] = kind
    _version += 1


def unregister(ident: str) -> None:
    global _version
    if _KINDS.pop(ident, None) is not None:
        _version += 1


def get(ident: str) -> Kind:
    return _KINDS[ident]


def find(ident: str) -> Kind | None:
    return _KINDS.get(ident)


def every() -> Iterator[Kind]:
    """Every kind, files and entities, in the table's order."""
    return iter(tuple(_KINDS.values()))


def _memo(make: Any) -> Any:
    cache: dict[str, tuple[int, Any]] = {}

    def get_() -> Any:
        held = cache.get("v")
        if held is None or held[0] != _version:
            held = (_version, make())
            cache["v"] = held
        return held[1]

    get_.__doc__ = make.__doc__
    return get_


@_memo
def _entities() -> tuple[str, ...]:
    return tuple(k.id for k in _KINDS.values() if k.entity)


def entity_kinds() -> tuple[str, ...]:
    """Every kind of entity (not ksctl.yaml or the glossary file), in the table's order:
    what `ksctl stats` counts, and the kinds a reference may name."""
    result: tuple[str, ...] = _entities()
    return result


@_memo
def _groups() -> tuple[str, ...]:
    return tuple(k.id for k in _KINDS.values() if k.group)


def group_kinds() -> tuple[str, ...]:
    """The kinds with seats: the programme areas, collaboration and working groups, bodies."""
    result: tuple[str, ...] = _groups()
    return result


def levelled_kinds() -> tuple[str, ...]:
    """The groups that mirror each other across the three levels."""
    return tuple(k for k in group_kinds() if _KINDS[k].level is not None)


def kinds_at(level: str, *, groups: bool = True) -> tuple[str, ...]:
    return tuple(k.id for k in _KINDS.values() if k.level == level and (k.group or not groups))


def show_order() -> tuple[str, ...]:
    """The order in which `show` prefers one kind to another for the same exact name: the
    groups first (national before regional before local, bodies last of them), then the
    rest in the table's order, the glossary's terms last."""
    rest = [k for k in entity_kinds() if k not in group_kinds() and k != "term"]
    tail = ("term",) if "term" in _KINDS else ()
    return (*group_kinds(), *rest, *tail)


def page_kinds() -> tuple[str, ...]:
    """The kinds with pages of their own on the site, in the table's order."""
    return tuple(k.id for k in _KINDS.values() if k.entity and k.section is not None)


def file_kinds() -> tuple[str, ...]:
    """The kinds with files of their own (each has a JSON Schema)."""
    return tuple(k.id for k in _KINDS.values() if k.places)


@_memo
def _words() -> dict[str, str]:
    words: dict[str, str] = {}
    for k in _KINDS.values():
        if k.entity:
            for word in (k.id, *(w.casefold() for w in k.names), k.id + "s"):
                words.setdefault(word, k.id)
    return words


def by_word(word: str) -> str | None:
    """The kind a word on the command line names ("people", "kommun", "hr"), or None."""
    found: str | None = _words().get(word.casefold())
    return found


@_memo
def _leads() -> dict[str, str]:
    return {lead: k.id for k in _KINDS.values() for lead in k.leads}


def leads() -> dict[str, str]:
    """Normalized words that say which kind a name means: {"rpo": "rpo", ...}."""
    result: dict[str, str] = _leads()
    return result


@_memo
def _embedded() -> dict[str, Embedding]:
    return {k.id: k.embedded for k in _KINDS.values() if k.embedded is not None}


def embedded() -> dict[str, Embedding]:
    """The kinds living inside another kind's file, by kind."""
    result: dict[str, Embedding] = _embedded()
    return result


def embedded_in(container: str) -> list[tuple[str, Embedding]]:
    """The kinds that live inside files of `container` (municipalities in a region's)."""
    return [(k, e) for k, e in embedded().items() if e.container == container]


def described(ids: tuple[str, ...] | None = None) -> str:
    """The kinds as a CLI help lists them: "npo, rpo, lpo, ..."."""
    return ", ".join(ids if ids is not None else entity_kinds())
