"""The loaded registry: every entity indexed by kind and id, read-only.

Built by the loader; queries, checks and exports only read it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ksctl.model import Settings
    from ksctl.yamlio import Loaded, Loc, Pos


@dataclass(frozen=True)
class Entity:
    """One entity: a file, or a part of one (a municipality in its region's file).

    `model` is None when the file did not pass its schema: the entity still exists, so
    references to it are not reported as dangling on top of the file's own errors.
    """

    kind: str
    id: str
    path: str
    loc: Loc
    model: BaseModel | None
    source: Loaded | None
    plain: Mapping[str, Any] | None = None  # given when read from the query cache

    @property
    def data(self) -> Mapping[str, Any] | None:
        """The model as plain JSON-able data, for queries; made when first asked for (a
        validation run never needs it)."""
        if self.plain is None and self.model is not None:
            object.__setattr__(self, "plain", self.model.model_dump(mode="json", by_alias=True))
        return self.plain

    @property
    def record(self) -> Mapping[str, Any] | None:
        """The data as published (`show --json`, registry.json): a file's `id`, which its
        path gives when the file does not, filled in."""
        data = self.data
        if data is not None and "id" in data and data["id"] is None:
            return {**data, "id": self.id}
        return data

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"

    def position(self, loc: Loc = (), *, key: bool = False) -> Pos:
        if self.source is None:
            return (1, 1)
        return self.source.position((*self.loc, *loc), key=key)

    @property
    def label(self) -> str:
        for attr in ("name", "title", "term"):
            value = (self.data or {}).get(attr)
            if isinstance(value, str):
                return value
        return self.id


SETTINGS_KIND = "settings"  # ksctl.yaml, as the rules report on it (not a kind of the table)


class Registry:
    """Entities by kind and id. Construct with `Registry.build`; never mutated after."""

    # ksctl.yaml as an entity (`SETTINGS_KIND`), for the rules that check its own facts
    # (the sources of the registry's open questions).
    settings_file: Entity | None = None

    def __init__(
        self,
        root: Path,
        settings: Settings | None,
        by_kind: dict[str, dict[str, Entity]],
        policies: Mapping[str, Any] | None = None,
        *,
        settings_file: Entity | None = None,
    ) -> None:
        self.root = root
        self.settings_file = settings_file
        self.base = root.parent
        self.settings = settings
        # Plain policies (jäv interval, mandate window) for queries that run from the cache.
        if policies is None and settings is not None:
            policies = settings.policies.model_dump()
        self.policies: Mapping[str, Any] = MappingProxyType(dict(policies or {}))
        self._by_kind: Mapping[str, Mapping[str, Entity]] = MappingProxyType(
            {k: MappingProxyType(dict(v)) for k, v in by_kind.items()}
        )
        kinds_by_id: dict[str, list[str]] = {}
        for kind, entities in by_kind.items():
            for ident in entities:
                kinds_by_id.setdefault(ident, []).append(kind)
        self._kinds_by_id = MappingProxyType(kinds_by_id)

    def get(self, kind: str, ident: str) -> Entity | None:
        return self._by_kind.get(kind, {}).get(ident)

    def of_kind(self, kind: str) -> Mapping[str, Entity]:
        return self._by_kind.get(kind, MappingProxyType({}))

    def reporting(self, kind: str) -> Mapping[str, Entity]:
        """The entities of `kind` that checks report on: all of them here; a registry scoped
        to what a change can reach narrows this (and iteration), never `of_kind`."""
        return self.of_kind(kind)

    def kinds_of(self, ident: str) -> list[str]:
        return list(self._kinds_by_id.get(ident, ()))

    def reported_settings(self) -> Entity | None:
        """ksctl.yaml as an entity, when checks report on it: always here; never in a
        registry scoped to what a change reached (a change to ksctl.yaml checks all)."""
        return self.settings_file

    def reported(self) -> Iterator[Entity]:
        """The entities that checks report on: every one here; a registry scoped to what a
        change can reach narrows this and `reporting`. Iterating the registry itself always
        goes through every entity."""
        return iter(self)

    def __iter__(self) -> Iterator[Entity]:
        for entities in self._by_kind.values():
            yield from entities.values()

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_kind.values())

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in sorted(self._by_kind.items())}


ALL_KINDS = "*"


def _content_id_kinds() -> tuple[str, ...]:
    """The kinds whose ids come from inside a file, not from its path."""
    from ksctl import kinds

    return tuple(kinds.embedded())


class Tracking(Registry):
    """A view of a registry that remembers what a query read: each entity it got, and each
    kind it went through (or looked for an id in and missed). A cached answer is then as
    fresh as just those files, and the errors worth mentioning are the ones in them."""

    def __init__(self, inner: Registry) -> None:
        self.inner = inner
        self.root, self.base = inner.root, inner.base
        self.settings, self.policies = inner.settings, inner.policies
        self.kinds_read: set[str] = set()
        self.entities_read: set[tuple[str, str]] = set()

    def get(self, kind: str, ident: str) -> Entity | None:
        found = self.inner.get(kind, ident)
        if found is None:
            self.kinds_read.add(kind)  # an id that appears would change the answer
        else:
            self.entities_read.add((kind, ident))
        return found

    def of_kind(self, kind: str) -> Mapping[str, Entity]:
        self.kinds_read.add(kind)
        return self.inner.of_kind(kind)

    def kinds_of(self, ident: str) -> list[str]:
        self.kinds_read.update(_content_id_kinds())
        return self.inner.kinds_of(ident)

    def __iter__(self) -> Iterator[Entity]:
        self.kinds_read.add(ALL_KINDS)
        return iter(self.inner)

    def __len__(self) -> int:
        self.kinds_read.update(_content_id_kinds())
        return len(self.inner)

    def counts(self) -> dict[str, int]:
        self.kinds_read.update(_content_id_kinds())
        return self.inner.counts()

    def paths_read(self) -> set[str]:
        """The files (as entities name them) whose content the answer depends on."""
        kinds = self.kinds_read
        if ALL_KINDS in kinds:
            return {e.path for e in self.inner}
        paths = {e.path for k in kinds for e in self.inner.of_kind(k).values()}
        for kind, ident in self.entities_read:
            found = self.inner.get(kind, ident)
            if found is not None:
                paths.add(found.path)
        return paths
