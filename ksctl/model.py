"""Entity models: one pydantic model per kind of registry file, unknown keys rejected.

Keys and identifiers are English; names and labels are Swedish. Ids are not
stored in the files: they derive from paths (see `layout`). A file may repeat its id in
`id:`, and the loader checks that it agrees with the path.

Fields that point at other entities carry a `RefTo` marker; the reference checker finds
them by walking the model fields, so a new reference field needs no new checking code.
A field that admits one kind takes a bare id; one that admits several takes `kind:id`.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from ksctl import dates
from ksctl.diagnostics import CODES

# ---------------------------------------------------------------------------- value types

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARTIAL_DATE = dates.PARTIAL


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError(
            "bad_date", "{value} is not a date written YYYY-MM-DD", {"value": repr(value)}
        )
    problem = dates.no_such_day(int(value[:4]), int(value[5:7]), int(value[8:]))
    if problem is None:
        return date.fromisoformat(value)
    raise PydanticCustomError(
        "bad_date", "{value} is not a date: {reason}", {"value": value, "reason": problem}
    )


def _partial_date(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    text = str(value) if isinstance(value, int) else value
    if not isinstance(text, str) or not (m := _PARTIAL_DATE.fullmatch(text)):
        raise PydanticCustomError(
            "bad_date",
            "{value} is not a date written YYYY, YYYY-MM or YYYY-MM-DD",
            {"value": repr(value)},
        )
    year, month, day = m.groups()
    problem = dates.no_such_day(int(year), int(month or 1), int(day or 1))
    if problem:
        raise PydanticCustomError(
            "bad_date", "{value} is not a date: {reason}", {"value": text, "reason": problem}
        )
    return text


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A calendar date written YYYY-MM-DD; 2024-02-30 is refused."""


class WrittenDate(date):
    """A day that remembers how it was written: `2018`, `2020-02` or `2021-01-01`.

    It is the day a period's `from` or `to` stands for (see `PeriodStart`, `PeriodEnd`), so
    it compares, sorts and counts days like any date; `written` (also its `str`) and its
    serialized form are the text as given, so a date known only to the year never shows
    as a day."""

    __slots__ = ("written",)
    written: str

    def __new__(cls, year: int, month: int = 1, day: int = 1, written: str | None = None) -> Self:
        self = super().__new__(cls, year, month, day)
        self.written = written or self.isoformat()
        return self

    def __reduce__(self) -> tuple[type[WrittenDate], tuple[int, int, int, str]]:
        return (type(self), (self.year, self.month, self.day, self.written))

    def __str__(self) -> str:
        return self.written

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.written!r} = {self.isoformat()})"


def _written_date(value: Any, *, end: bool) -> WrittenDate:
    """`value` as the first (`end` false) or last day of what it names: 2020 is 2020-01-01
    as a start and 2020-12-31 as an end, 2020-02 is 2020-02-01 or 2020-02-29."""
    if isinstance(value, WrittenDate):
        value = value.written
    elif isinstance(value, date):
        return WrittenDate(value.year, value.month, value.day)
    text: str = _partial_date(value)
    day = dates.bounds(text, end=end)
    assert day is not None  # _partial_date has checked it
    return WrittenDate(day.year, day.month, day.day, text)


def _period_start(value: Any) -> WrittenDate:
    return _written_date(value, end=False)


def _period_end(value: Any) -> WrittenDate:
    return _written_date(value, end=True)


def _as_written(value: date) -> str:
    return value.written if isinstance(value, WrittenDate) else value.isoformat()


_WRITTEN_DATE_SCHEMA = WithJsonSchema(
    {
        "anyOf": [
            {
                "type": "string",
                "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
            },
            {"type": "integer", "minimum": 1000, "maximum": 9999},
        ]
    }
)

PeriodStart = Annotated[
    date,
    BeforeValidator(_period_start),
    PlainSerializer(_as_written, return_type=str, when_used="json"),
    _WRITTEN_DATE_SCHEMA,
]
"""A period's start written to the year, month or day (`from: 2018`): the first day of
what is written for every comparison, the text as written in data and output."""

PeriodEnd = Annotated[
    date,
    BeforeValidator(_period_end),
    PlainSerializer(_as_written, return_type=str, when_used="json"),
    _WRITTEN_DATE_SCHEMA,
]
"""A period's end written to the year, month or day (`to: 2020`): the last day of what is
written (2020-12-31) for every comparison, the text as written in data and output."""

PartialDate = Annotated[str, BeforeValidator(_partial_date), _WRITTEN_DATE_SCHEMA]
"""A date known to the year, month or day: 2020, 2020-05 or 2020-05-25."""

DATE_PARSERS = (_iso_date, _partial_date, _period_start, _period_end)
"""The validators that read a date, whatever type they give (`ksctl fmt` writes every
field one of them reads as a plain date)."""

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


def _known_code(value: str) -> str:
    if value not in CODES:
        raise PydanticCustomError(
            "unknown_code", "{value} is not a ksctl diagnostic code", {"value": repr(value)}
        )
    return value


DiagnosticCode = Annotated[
    str,
    AfterValidator(_known_code),
    WithJsonSchema({"type": "string", "enum": list(CODES)}),
]
"""One of the stable codes in `diagnostics.CODES` (KS101, KS401, ...)."""


ANY_KIND = "*"


@dataclass(frozen=True)
class RefTo:
    """Marks a field as a reference to entities of `kinds` (`ANY_KIND`: of every kind in
    the table of kinds, as it is when the reference is checked)."""

    kinds: tuple[str, ...]
    allow_self: bool = False

    @property
    def allowed(self) -> tuple[str, ...]:
        if ANY_KIND in self.kinds:
            from ksctl import kinds

            return kinds.entity_kinds()
        return self.kinds

    @property
    def qualified(self) -> bool:
        return len(self.kinds) > 1 or ANY_KIND in self.kinds


@dataclass(frozen=True)
class Happened:
    """Marks the date of something that has happened (a page published or retrieved, a
    declaration made, a decision taken, a source's date): it cannot lie ahead (KS473)."""


HAPPENED = Happened()


def _qualified_schema(*kinds: str, allow_self: bool = False) -> WithJsonSchema:
    # Editors read the pattern as an ECMA-262 regular expression in unicode mode, where an
    # escaped "-" (re.escape's) is an error: kind ids are a-z and "-", literal as written.
    if not all(re.fullmatch(r"[a-z]+(-[a-z]+)*", k) for k in kinds):
        raise ValueError(f"a kind id to write into a pattern must be a-z and '-': {kinds}")
    alternatives = "|".join(kinds)
    pattern = f"^(({alternatives}):[^\\s:]+{'|self' if allow_self else ''})$"
    return WithJsonSchema({"type": "string", "pattern": pattern})


PersonRef = Annotated[str, RefTo(("person",))]
HealthcareRegionRef = Annotated[str, RefTo(("healthcare-region",))]
RegionRef = Annotated[str, RefTo(("region",))]
NpoRef = Annotated[str, RefTo(("npo",))]
LpoRef = Annotated[str, RefTo(("lpo",))]
BodyRef = Annotated[str, RefTo(("body",))]
KnowledgeSupportRef = Annotated[str, RefTo(("knowledge-support",))]
HostRef = Annotated[
    str,
    RefTo(("healthcare-region", "organisation")),
    _qualified_schema("healthcare-region", "organisation"),
]
RepresentsRef = Annotated[
    str,
    RefTo(("healthcare-region", "region", "municipality", "organisation"), allow_self=True),
    _qualified_schema(
        "healthcare-region", "region", "municipality", "organisation", allow_self=True
    ),
]
EmployerRef = Annotated[
    str,
    RefTo(("region", "municipality", "organisation")),
    _qualified_schema("region", "municipality", "organisation"),
]
OwnerRef = Annotated[
    str,
    RefTo(("npo", "nsg", "organisation", "body")),
    _qualified_schema("npo", "nsg", "organisation", "body"),
]
AnyRef = Annotated[str, RefTo((ANY_KIND,))]

Confidence = Literal["high", "medium", "low"]
Maintainer = Annotated[str, Field(pattern=r"^(@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+)$")]

# ---------------------------------------------------------------------------- shared parts


class Part(BaseModel):
    """A nested part of an entity: strict, immutable."""

    # A model's validator is built when it is first used (defer_build): a check after one
    # changed file uses a few of the 40 models, and building all of them on import cost
    # about a third of such a run (measured).
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Source(Part):
    """Where a fact comes from: a web page (url) or a document that has none."""

    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    document: str | None = None
    title: str | None = None
    published: Annotated[PartialDate, HAPPENED] | None = Field(
        default=None,
        description="when the source says it was published or last updated "
        '("Publicerad 7 juni 2023" is 2023-06-07)',
    )
    retrieved: Annotated[IsoDate, HAPPENED] | None = None

    @model_validator(mode="after")
    def _url_or_document(self) -> Source:
        if self.url is None and self.document is None:
            raise ValueError("a source needs a url or a document")
        return self


class Documented(Part):
    """Anything may carry its sources, notes and how certain it is."""

    sources: list[Source] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    confidence: Confidence | None = None


class Period(Documented):
    """A dated fact: from/to, both inclusive, either open, each written to the year, month
    or day as the sources give it (`from: 2023`, `to: 2025-12`): the first and the last day
    of what is written in every comparison."""

    from_: PeriodStart | None = Field(default=None, alias="from")
    to: PeriodEnd | None = None


class Contact(Part):
    """One contact detail. Private unless a public source publishes it."""

    type: Literal["email", "phone", "address", "url"]
    value: str
    public: bool = False


class Hosting(Period):
    """Who hosts a national area (värdskap). SKR hosting comes with a dormant host.

    Its period may be known only to the year or month, as the sources give it: `from: 2018`
    starts on 2018-01-01 and `to: 2020` ends on 2020-12-31."""

    host: HostRef
    dormant_host: HealthcareRegionRef | None = None


Role = Literal[
    "chair",
    "co-chair",  # one of two or more who share the chair (delat ordförandeskap)
    "vice-chair",
    "head",  # the head of a unit (chef), where a unit has no chair
    "member",
    "participant",
    "adjunct",
    "substitute",
    "process-leader",
    "secretary",
    "contact-person",
    "patient-representative",
]


class Membership(Period):
    """A seat in a group. A seat may be declared vacant instead of naming a person.

    A seat a source lists without dates has `as_of`: the source's date. It holds from
    then on (until a `to` is known), never before: its start is unknown."""

    person: PersonRef | None = None
    vacant: bool = False
    role: Role = "member"
    represents: RepresentsRef | None = None
    function: str | None = Field(
        default=None, description="what the seat stands for, in the group's own words"
    )
    mandate_years: int | None = Field(default=None, ge=1, le=10)
    as_of: Annotated[PartialDate, HAPPENED] | None = Field(
        default=None,
        description="for a seat a source gives without dates: the source's date; the seat "
        "holds from then on, its start unknown",
    )

    @model_validator(mode="after")
    def _person_or_vacant(self) -> Membership:
        if self.person is None and not self.vacant:
            raise ValueError("a seat names a person or says vacant: true")
        if self.person is not None and self.vacant:
            raise ValueError("a seat is vacant or held, not both: remove person or vacant: true")
        return self


class Nomination(Part):
    """An open call for members of a working group."""

    deadline: IsoDate
    competences: list[str] = Field(default_factory=list)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class OpenQuestion(Documented):
    """Something the sources leave open, kept visible where it concerns the data."""

    id: Slug
    question: str
    concerns: list[AnyRef] = Field(default_factory=list)


class Statement(Documented):
    """One fact in words with its own sources: a duty, a task, a step of a process."""

    id: Slug | None = None
    name: str | None = Field(default=None, description="a short name for it")
    text: str = Field(min_length=1)


GovernanceTopic = Literal[
    "commissioning",
    "decisions",
    "line-responsibility",
    "nominations",
    "conflict-of-interest",
    "programme-areas",
    "working-groups",
    "patient-representatives",
    "municipalities",
    "knowledge-support-process",
    "other",
]


class Governance(Statement):
    """How something is decided or done in a healthcare region or region: who commissions,
    who decides nominations, how jäv is handled, who may set up a working group."""

    topic: GovernanceTopic
    body: BodyRef | None = None
    person: PersonRef | None = Field(
        default=None, description="who does it, where the source names a person"
    )


# ---------------------------------------------------------------------------- entities


class FileModel(Documented):
    """The model of a registry file (the loaded entity, with its kind, id and path, is
    `ksctl.registry.Entity`). `id`, when given, must agree with the path."""

    id: str | None = None

    @property
    def label(self) -> str:
        return str(getattr(self, "name", None) or getattr(self, "title", None) or self.id)


class Named(FileModel):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    open_questions: list[OpenQuestion] = Field(default_factory=list)


class CooperationBody(Documented):
    name: str
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class ParticipationShare(Documented):
    """A region's published share of its healthcare region's national seats."""

    region: RegionRef
    percent: float = Field(ge=0, le=100)
    as_of: Annotated[PartialDate, HAPPENED]


class HealthcareRegion(Named):
    official_name: str
    cooperation_body: CooperationBody | None = None
    participation_shares: list[ParticipationShare] = Field(default_factory=list)
    governance: list[Governance] = Field(default_factory=list)
    maintainers: list[Maintainer] = Field(
        default_factory=list,
        description="who reviews changes to this folder: @user, @org/team or an email",
    )


class Municipality(Documented):
    code: str = Field(pattern=r"^\d{4}$")
    name: str
    healthcare_region: HealthcareRegionRef | None = Field(
        default=None,
        description="only where the municipality cooperates with another healthcare region "
        "than its region's",
    )


class Region(Named):
    county_code: str = Field(pattern=r"^\d{2}$")
    healthcare_region: HealthcareRegionRef
    municipalities: list[Municipality] = Field(default_factory=list)
    contact: list[Contact] = Field(default_factory=list)
    local_process: str | None = None
    knowledge_support_unit: BodyRef | None = None
    governance: list[Governance] = Field(default_factory=list)
    maintainers: list[Maintainer] = Field(
        default_factory=list,
        description="who reviews changes to this folder: @user, @org/team or an email",
    )


class Organisation(Named):
    abbreviation: str | None = None
    type: Literal[
        "association",
        "agency",
        "cooperation",
        "patient-organisation",
        "company",
        "university-hospital",
        "university",
        "other",
    ] = "other"
    region: RegionRef | None = Field(default=None, description="the region that runs it")


class Group(Named):
    """Anything with members, existing over a period (written to the year, month or day)."""

    from_: PeriodStart | None = Field(default=None, alias="from")
    to: PeriodEnd | None = None
    members: list[Membership] = Field(default_factory=list)
    contact: list[Contact] = Field(default_factory=list)


class NationalProgrammeArea(Group):
    """NPO, or Nationellt primärvårdsråd (category council)."""

    category: Literal["npo", "council"] = "npo"
    hosting: list[Hosting] = Field(default_factory=list)
    municipal_participation: bool | None = None


class MirrorArea(Group):
    """RPO or LPO: mirrors a national area, by default the one named by its file."""

    mirrors: NpoRef | None = None
    status: Literal["established", "not-established"] = "established"
    contact_person: PersonRef | None = Field(
        default=None,
        description="stands in for an area that is not established, or is the area's "
        "contact at the knowledge-support unit",
    )

    @model_validator(mode="after")
    def _not_established_names_contact(self) -> MirrorArea:
        if self.status == "not-established" and self.contact_person is None:
            raise ValueError("an area that is not established names its contact_person")
        return self


class CollaborationGroup(Group):
    """NSG, RSG or LSG."""

    hosting: list[Hosting] = Field(default_factory=list)


class WorkingGroup(Group):
    """NAG, RAG or LAG; its programme area is the folder it sits in. A focus area
    (insatsområde) that a page names without a group of its own is `form: focus-area`."""

    form: Literal["working-group", "focus-area"] = "working-group"
    status: Literal["active", "dormant", "finished"] | None = Field(
        default=None, description="as its page says: ongoing, dormant (vilande) or finished"
    )
    predecessor: str | None = Field(
        default=None, description="the group it continues, by name (a national programme council)"
    )
    knowledge_supports: list[KnowledgeSupportRef] = Field(
        default_factory=list, description="the knowledge supports it produced"
    )
    nomination: Nomination | None = None


class Body(Group):
    abbreviation: str | None = None
    type: Literal[
        "steering-group",
        "preparation-group",
        "support-function",
        "council",
        "reference-group",
        "knowledge-support-unit",
        "chairs-forum",
        "other",
    ]
    parent: BodyRef | None = None
    organisation: Annotated[str, RefTo(("organisation",))] | None = None
    tasks: list[Statement] = Field(default_factory=list)


class ConflictOfInterest(Part):
    """Jäv: when the person declared, and when the declaration was last assessed."""

    declared: Annotated[IsoDate, HAPPENED] | None = None
    assessed: Annotated[IsoDate, HAPPENED] | None = None


class Person(Named):
    family_name: str | None = Field(
        default=None,
        description="The family name when it is more than the name's last word "
        "('Bergman Nordgren'): lists sort by it.",
    )
    title: str | None = None
    employer: EmployerRef | None = None
    unit: str | None = None
    contact: list[Contact] = Field(default_factory=list)
    conflict_of_interest: ConflictOfInterest | None = None

    @field_validator("family_name")
    @classmethod
    def _family_name_ends_the_name(cls, family: str | None, info: ValidationInfo) -> str | None:
        name = info.data.get("name")
        if (
            family is not None
            and isinstance(name, str)
            and not (name.endswith(family) and name != family)
        ):
            raise ValueError(f"{family!r} is not the end of the name {name!r}")
        return family


class Remiss(Part):
    from_: PartialDate | None = Field(default=None, alias="from")
    to: PartialDate | None = None


KnowledgeSupportType = Literal[
    "nationell-riktlinje",
    "vardprogram",
    "vardriktlinje",
    "vardforlopp",
    "svf",
    "vip",
    "kliniskt-kunskapsstod",
    "behandlingsrekommendation",
    "other",
]


class KnowledgeSupport(FileModel):
    title: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    type: KnowledgeSupportType
    owner: OwnerRef | None = None
    remiss: Remiss | None = None
    decided: Annotated[PartialDate, HAPPENED] | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


Stage = Literal["remiss", "kartlaggning", "beslut", "implementering", "uppfoljning", "avslutad"]
STAGES: tuple[str, ...] = (
    "remiss",
    "kartlaggning",
    "beslut",
    "implementering",
    "uppfoljning",
    "avslutad",
)


class Step(Documented):
    stage: Stage
    date: Annotated[IsoDate, HAPPENED]


class GapAnalysis(Documented):
    date: Annotated[IsoDate, HAPPENED] | None = None
    summary: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class Decision(Documented):
    date: Annotated[IsoDate, HAPPENED] | None = None
    by: str | None = Field(default=None, description="who took the decision, in words")
    body: BodyRef | None = None
    summary: str | None = None


class FollowUp(Documented):
    indicators: list[str] = Field(default_factory=list)
    next: IsoDate | None = None


class Handling(FileModel):
    """A region's handling of one national knowledge support, named by its file."""

    stage: Stage
    steps: list[Step] = Field(default_factory=list)
    gap_analysis: GapAnalysis | None = None
    decision: Decision | None = None
    responsible_lpo: LpoRef | None = None
    responsible_person: PersonRef | None = None
    follow_up: FollowUp | None = None


class Term(Documented):
    term: str = Field(min_length=1)
    expansion: str
    explanation: str
    see: list[AnyRef] = Field(default_factory=list)


class Glossary(FileModel):
    terms: list[Term] = Field(default_factory=list)


class HistoryEvent(Documented):
    date: Annotated[PartialDate, HAPPENED]
    event: str = Field(min_length=1)


class LevelRole(Documented):
    level: Literal["national", "healthcare-regional", "local"]
    role: str = Field(min_length=1)


class System(Named):
    """The national system for knowledge management as a whole: its history, what each
    level does, the regions' duties towards a national knowledge support, and the kinds of
    representation in its groups."""

    history: list[HistoryEvent] = Field(default_factory=list)
    levels: list[LevelRole] = Field(default_factory=list)
    duties: list[Statement] = Field(
        default_factory=list,
        description="what every region does with a national knowledge support",
    )
    representation: list[Statement] = Field(
        default_factory=list,
        description="who takes part in the groups besides the regions' representatives",
    )


class Policies(Part):
    coi_interval_years: int = Field(default=3, ge=1)
    mass_removal_share: float = Field(
        default=0.2,
        gt=0,
        le=1,
        description="ksctl diff flags removing more than this share of a kind or a group",
    )
    coi_interval_years_by_region: dict[str, int] = Field(default_factory=dict)
    mandate_warning_days: int = Field(default=90, ge=0)
    npo_chair_mandate_years: int = Field(
        default=3,
        ge=1,
        description="the longest mandate of an NPO chair appointed since 2020 (KS436)",
    )
    stale_after_years: int = Field(
        default=3,
        ge=1,
        description="a fact whose newest source was published longer ago than this is "
        "noted (KS471) and listed by ksctl due",
    )


class Limits(Part):
    max_file_bytes: int = Field(default=1_048_576, ge=1024)
    max_depth: int = Field(default=32, ge=4, le=200)
    max_nodes: int = Field(default=100_000, ge=100)


class Site(Part):
    title: str = "Nationellt system för kunskapsstyrning hälso- och sjukvård"
    url: str | None = Field(
        default=None,
        pattern=r"^https?://\S+/$",
        description="where the site is published, ending in /: the change feed and the "
        "open-data descriptions link to it",
    )
    publisher: str | None = Field(
        default=None, description="who publishes the directory and its open data"
    )
    license: str | None = Field(
        default=None,
        pattern=r"^https?://\S+$",
        description="the open data's licence, as the address of its text",
    )
    contact: str | None = Field(
        default=None,
        pattern=r"^[^@\s]+@[^@\s]+$",
        description="an e-mail address for questions about the open data",
    )


class Settings(FileModel):
    version: int = Field(default=1, ge=1, le=1, description="the registry format version")
    maintainers: list[Maintainer] = Field(
        default_factory=list,
        description="who reviews changes to the registry as a whole and to national/",
    )
    site: Site = Field(default_factory=Site)
    policies: Policies = Field(default_factory=Policies)
    limits: Limits = Field(default_factory=Limits)
    rules: dict[DiagnosticCode, Literal["error", "warning", "info", "off"]] = Field(
        default_factory=dict,
        description="a diagnostic code's severity, or 'off' to turn it off",
    )
    open_questions: list[OpenQuestion] = Field(default_factory=list)


# ------------------------------------------------------------------------------ walking


def nested_models(annotation: Any) -> tuple[type[BaseModel], ...]:
    """The model classes an annotation may hold (`list[Membership] | None` → Membership)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation,)
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(m for m in nested_models(arg) if m not in found)
    return tuple(found)


@functools.cache
def fields_reaching(
    model: type[BaseModel], wanted: Callable[[type[BaseModel]], bool]
) -> tuple[tuple[str, str], ...]:
    """(attribute, key) of the fields of `model` that may hold, at any depth, a model for
    which `wanted` is true: the only fields a walk looking for those needs to visit."""
    return tuple(
        (name, field.alias or name)
        for name, field in model.model_fields.items()
        if any(_reaches(m, wanted) for m in nested_models(field.annotation))
    )


@functools.cache
def _reaches(model: type[BaseModel], wanted: Callable[[type[BaseModel]], bool]) -> bool:
    return wanted(model) or bool(fields_reaching(model, wanted))


Marker = typing.TypeVar("Marker")
Where = tuple[str | int, ...]  # a place in a file: keys and list indexes


def field_marker(field: FieldInfo, kind: type[Marker]) -> Marker | None:
    """The `kind` marker a field carries (`RefTo`, `Happened`), at any depth of its
    annotation (`list[Annotated[str, RefTo(...)]]`), or None."""
    marker = next((m for m in field.metadata if isinstance(m, kind)), None)
    return marker if marker is not None else _marker_in(field.annotation, kind)


def _marker_in(tp: Any, kind: type[Marker]) -> Marker | None:
    if typing.get_origin(tp) is typing.Annotated:
        for meta in tp.__metadata__:
            if isinstance(meta, kind):
                return meta
    for arg in typing.get_args(tp):
        found = _marker_in(arg, kind)
        if found is not None:
            return found
    return None


_MARKED: dict[tuple[type[BaseModel], type[Any]], tuple[tuple[str, str, Any], ...]] = {}


def marked_fields(
    model: type[BaseModel], kind: type[Marker]
) -> tuple[tuple[str, str, Marker | None], ...]:
    """(attribute, key, marker or None) for every field of `model` that carries a `kind`
    marker or may hold, at any depth, a model with such a field: the only fields a walk
    for those values visits."""
    if (model, kind) not in _MARKED:
        _MARKED[(model, kind)] = _marked_fields(model, kind)
    return _MARKED[(model, kind)]


_CARRIERS: dict[type[Any], Callable[[type[BaseModel]], bool]] = {}


def _carries(kind: type[Any]) -> Callable[[type[BaseModel]], bool]:
    """Whether a model has a field marked with a `kind`: one function per kind, so that
    `fields_reaching` caches its walks for it."""
    if kind not in _CARRIERS:

        def own(m: type[BaseModel]) -> bool:
            return any(field_marker(f, kind) is not None for f in m.model_fields.values())

        _CARRIERS[kind] = own
    return _CARRIERS[kind]


def _marked_fields(
    model: type[BaseModel], kind: type[Marker]
) -> tuple[tuple[str, str, Marker | None], ...]:

    reaching = {name for name, _ in fields_reaching(model, _carries(kind))}
    out = []
    for name, field in model.model_fields.items():
        marker = field_marker(field, kind)
        if marker is not None or name in reaching:
            out.append((name, field.alias or name, marker))
    return tuple(out)


def iter_marked(
    obj: BaseModel, kind: type[Marker], loc: Where = ()
) -> Iterator[tuple[Where, Any, Marker]]:
    """Every value in `obj` that a field marked with a `kind` holds, with where it sits
    and its marker."""
    for attr, key, marker in marked_fields(type(obj), kind):
        yield from _walk_marked(getattr(obj, attr), (*loc, key), kind, marker)


def _walk_marked(
    value: Any, loc: Where, kind: type[Marker], marker: Marker | None
) -> Iterator[tuple[Where, Any, Marker]]:
    if value is None:
        return
    if isinstance(value, BaseModel):
        yield from iter_marked(value, kind, loc)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _walk_marked(item, (*loc, i), kind, marker)
    elif marker is not None:
        yield loc, value, marker
