"""One validation, assembled in one place: load (YAML, schemas, ids, references), then
every rule as of a date, then the severities `rules:` in ksctl.yaml sets.

`validate` is a cold run. The fast path (`ksctl.fast`) answers from a snapshot when nothing
changed and re-checks only what a change can reach otherwise, with the same `checks`; `ksctl
new` checks a file before writing it with the same `validate`. Every run ends in a `Result`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ksctl import loader, rules
from ksctl.diagnostics import Diagnostic, merged
from ksctl.model import Settings
from ksctl.result import Result

if TYPE_CHECKING:
    from ksctl.fast import fingerprint
    from ksctl.registry import Registry

__all__ = ["Result", "checks", "validate"]


def checks(
    registry: Registry,
    at: datetime.date,
    focus: Callable[[str], None] | None = None,
    *,
    latest: datetime.date | None = None,
) -> list[Diagnostic]:
    """Every rule's diagnostics as of `at`, with `rules:` applied. `focus` is told each
    rule's code before it runs (a scoped registry narrows what the rule reports on);
    `latest` is the latest day a record may carry (default: `dates.latest_day(at)`)."""
    settings = registry.settings or Settings()
    return loader.apply_severities(rules.run(registry, at, focus=focus, latest=latest), settings)


def validate(
    root: Path,
    at: datetime.date,
    *,
    tree: fingerprint.Tree | None = None,
    earlier: tuple[dict[str, loader.Earlier], int, tuple[int, int, int]] | None = None,
    latest: datetime.date | None = None,
) -> Result:
    """Load the registry in `root`, check it and run every rule as of `at`. `earlier` is an
    earlier run's parse of each file, reused for the files that have not changed."""
    files, written_ns, limits = earlier if earlier is not None else ({}, 0, None)
    loaded = loader.load(
        root, tree=tree, earlier=files, earlier_written_ns=written_ns, earlier_limits=limits
    )
    found = checks(loaded.registry, at, latest=latest)
    diagnostics = merged(loaded.diagnostics, found)
    return Result(diagnostics, loaded.files, dataclasses.replace(loaded, diagnostics=diagnostics))
