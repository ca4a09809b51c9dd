"""Problems found in registry data, as values.

Standard library only. Every problem in user data becomes a `Diagnostic` with a
repository-relative path, a 1-based line and column, a stable code and a severity; the
core collects them and never raises them one at a time.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.IntEnum):
    """Ordered so that `max()` gives the worst."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str


# The table of stable codes. The README's table is generated from it (and drift-checked).
_CODES = [
    # KS1xx: reading the file
    Code(
        "KS100", "file-too-large", Severity.ERROR, "file is larger than the registry's size limit"
    ),
    Code("KS101", "yaml-syntax", Severity.ERROR, "the file is not well-formed YAML"),
    Code("KS102", "not-utf8", Severity.ERROR, "the file is not valid UTF-8"),
    Code("KS103", "bom", Severity.ERROR, "the file starts with a byte-order mark"),
    Code("KS104", "empty-file", Severity.ERROR, "the file holds no data"),
    Code("KS105", "not-a-mapping", Severity.ERROR, "the top level of the file is not a mapping"),
    Code("KS106", "forbidden-tag", Severity.ERROR, "a YAML tag that would build objects"),
    Code("KS107", "alias-bomb", Severity.ERROR, "anchors and aliases expand beyond the limit"),
    Code("KS108", "too-deep", Severity.ERROR, "data nested deeper than the limit"),
    Code("KS109", "duplicate-key", Severity.ERROR, "the same key twice in one mapping"),
    Code(
        "KS110",
        "symlink-outside",
        Severity.ERROR,
        "a symbolic link out of the registry, to nothing or in a loop",
    ),
    Code("KS111", "tab-indent", Severity.ERROR, "a tab used for indentation"),
    Code("KS112", "unknown-location", Severity.ERROR, "a YAML file where the layout expects none"),
    Code(
        "KS113",
        "not-a-file",
        Severity.ERROR,
        "a YAML name that is not a regular file (a FIFO, a device); never read",
    ),
    # KS2xx: the schema of one entity
    Code("KS201", "unknown-key", Severity.ERROR, "a key the schema does not know"),
    Code("KS202", "wrong-type", Severity.ERROR, "a value of the wrong type"),
    Code("KS203", "missing-field", Severity.ERROR, "a required field is missing"),
    Code("KS204", "bad-date", Severity.ERROR, "a date that is malformed or does not exist"),
    Code("KS205", "bad-value", Severity.ERROR, "a value outside the allowed set or pattern"),
    # KS3xx: identity and references across files
    Code("KS301", "dangling-reference", Severity.ERROR, "a reference to an id that does not exist"),
    Code(
        "KS302",
        "wrong-kind-reference",
        Severity.ERROR,
        "a reference to an entity of the wrong kind",
    ),
    Code("KS303", "duplicate-id", Severity.ERROR, "two entities claim the same id"),
    Code("KS304", "id-path-mismatch", Severity.ERROR, "an explicit id that differs from the path"),
    Code("KS305", "bad-reference", Severity.ERROR, "a reference that is not written kind:id"),
    # KS4xx: the rules of kunskapsstyrning (ksctl/rules/), as of --at (default today)
    Code("KS401", "host-count", Severity.ERROR, "a national area without exactly one host"),
    Code("KS402", "hosting-overlap", Severity.ERROR, "two hosting periods of one area overlap"),
    Code(
        "KS403",
        "skr-without-dormant-host",
        Severity.WARNING,
        "SKR hosts without a dormant host region",
    ),
    Code(
        "KS404", "host-kind", Severity.ERROR, "a host that is neither a healthcare region nor SKR"
    ),
    Code(
        "KS411",
        "npo-region-missing",
        Severity.WARNING,
        "an NPO with no seat, held or vacant, for a healthcare region (a vacancy is shown "
        "as such, not warned of)",
    ),
    Code(
        "KS412",
        "npo-region-twice",
        Severity.ERROR,
        "a healthcare region holding two ordinary seats in an NPO",
    ),
    Code(
        "KS413",
        "rpo-region-seats",
        Severity.WARNING,
        "an RPO without one or two seats for a region of its healthcare region",
    ),
    Code("KS414", "chair-count", Severity.WARNING, "a group without exactly one chair"),
    Code(
        "KS415",
        "nag-region-missing",
        Severity.WARNING,
        "a NAG with no seat, held or vacant, for some healthcare region",
    ),
    Code(
        "KS416",
        "lag-no-patient",
        Severity.INFO,
        "a LAG without a patient, user or next-of-kin representative",
    ),
    Code(
        "KS421",
        "rpo-missing",
        Severity.WARNING,
        "a national area without its RPO in a healthcare region",
    ),
    Code(
        "KS422",
        "lpo-missing",
        Severity.WARNING,
        "a national area with neither LPO nor a not-established entry in a region",
    ),
    Code(
        "KS423",
        "lpo-no-unit-contact",
        Severity.WARNING,
        "an LPO without its contact at the region's knowledge-support unit",
    ),
    Code(
        "KS424",
        "mirror-of-nothing",
        Severity.ERROR,
        "an RPO or LPO named after no national area",
    ),
    Code("KS431", "period-reversed", Severity.ERROR, "a period whose from is after its to"),
    Code("KS432", "seats-overlap", Severity.ERROR, "one person's seats in one group overlap"),
    Code(
        "KS433", "seat-outlives-group", Severity.ERROR, "a seat outside the period its group exists"
    ),
    Code(
        "KS434",
        "mandate-expired",
        Severity.WARNING,
        "a mandate that has run out but is still listed as current",
    ),
    Code("KS435", "mandate-ending", Severity.INFO, "a mandate ending within the policy window"),
    Code(
        "KS436",
        "chair-mandate-too-long",
        Severity.WARNING,
        "an NPO chair appointed since 2020 for longer than the policy allows (three years)",
    ),
    Code(
        "KS437",
        "seat-undated",
        Severity.WARNING,
        "a seat with neither from, to nor as_of, which would hold on every date",
    ),
    Code(
        "KS441",
        "coi-missing",
        Severity.WARNING,
        "a national group member without a conflict-of-interest declaration before starting",
    ),
    Code(
        "KS442",
        "coi-stale",
        Severity.WARNING,
        "a conflict-of-interest assessment older than the policy interval",
    ),
    Code(
        "KS451",
        "handling-skips",
        Severity.ERROR,
        "a knowledge support's handling skips a stage or goes back",
    ),
    Code("KS452", "handling-dates", Severity.ERROR, "handling steps with decreasing dates"),
    Code("KS453", "decision-without-who", Severity.ERROR, "a decision that names no decider"),
    Code(
        "KS454",
        "follow-up-without-date",
        Severity.ERROR,
        "a handling in uppföljning without its next follow-up date",
    ),
    Code("KS461", "person-idle", Severity.INFO, "a person with no seat and no role"),
    Code(
        "KS462",
        "alias-shared",
        Severity.ERROR,
        "one alias naming two areas, which makes who-hosts ambiguous",
    ),
    Code(
        "KS463",
        "person-filed-elsewhere",
        Severity.WARNING,
        "a person whose file is not in the folder of the region that employs them",
    ),
    # KS47x: sources
    Code(
        "KS471",
        "source-stale",
        Severity.INFO,
        "an entity whose newest source was published longer ago than the policy says",
    ),
    Code("KS472", "source-missing", Severity.WARNING, "an entity that cites no source"),
    Code(
        "KS473",
        "date-ahead",
        Severity.ERROR,
        "a date of what has happened (published, retrieved, as_of, a declaration) after tomorrow "
        "(or after --at, when later)",
    ),
    Code(
        "KS474",
        "retrieved-before-published",
        Severity.ERROR,
        "a source retrieved before it was published: one of the two dates is mistyped",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    hint: str | None = None

    @classmethod
    def make(
        cls,
        code: str,
        message: str,
        *,
        path: str,
        line: int = 1,
        column: int = 1,
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        return cls(
            path=path,
            line=line,
            column=column,
            code=code,
            severity=severity if severity is not None else CODES[code].severity,
            message=message,
            hint=hint,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "hint": self.hint,
        }


def _order(d: Diagnostic) -> tuple[str, int, int, str, int, str, str]:
    return (d.path, d.line, d.column, d.code, int(d.severity), d.message, d.hint or "")


def ordered(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics by file, line, column and code, each once (a key of plain values sorts
    10,000 of them several times faster than the dataclass's own comparisons)."""
    return sorted(set(found), key=_order)


def merged(first: list[Diagnostic], second: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`first` (already `ordered`) and `second` together, in order, each once."""
    import heapq

    seen = set(first)
    extra = [d for d in ordered(second) if d not in seen]
    return list(heapq.merge(first, extra, key=_order))


def did_you_mean(word: str, candidates: Iterable[str], *, prefix: str = "") -> str | None:
    """A hint naming the closest candidate, or None when nothing is close; with `prefix`,
    only the candidates that begin with it, compared and named without it."""
    if prefix:
        word = word.removeprefix(prefix)
        candidates = [c.removeprefix(prefix) for c in candidates if c.startswith(prefix)]
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean {prefix + matches[0]!r}?" if matches else None


def counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    result = {s.label: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    for d in diagnostics:
        result[d.severity.label] += 1
    return result
