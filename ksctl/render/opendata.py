"""Open data in the formats portals take: CSV tables that join, described by a Frictionless
Data Package (`datapackage.json`) and a DCAT-AP-SE dataset description (`dcat.rdf`, what
dataportal.se harvests), and the people and their seats in the Popolo standard.

The CSV tables: `entities.csv` lists every entity by its reference (`npo:akut-vard`); one
table per kind holds its plain fields with the entity's id as key, plus the places its
path names (`region` on an LPO, a municipality, a person a region employs); every list in
the data has a table of its own (memberships, hosting, handling steps, sources, aliases,
notes, governance, ...), each row naming its entity (`ref`, `kind`, `id`) and where in it
it sits (`item`: "members/3"; `of`: the item a nested row belongs to, "" the entity
itself). A cell that a spreadsheet would read as a formula (starting with =, +, -, @, a
tab or a carriage return) starts with an apostrophe instead.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ksctl import domain, kinds, layout
from ksctl.registry import Entity, Registry

# Each list in the data, by its key, and the table its items go to.
LIST_TABLES = {
    "members": "memberships",
    "hosting": "hosting",
    "steps": "handling_steps",
    "sources": "sources",
    "contact": "contacts",
    "participation_shares": "participation_shares",
    "governance": "governance",
    "tasks": "tasks",
    "open_questions": "open_questions",
    "history": "system_history",
    "levels": "system_levels",
    "duties": "system_duties",
    "representation": "system_representation",
    "aliases": "aliases",
    "notes": "notes",
    "knowledge_supports": "working_group_knowledge_supports",
    "concerns": "open_question_concerns",
    "competences": "nomination_competences",
    "indicators": "follow_up_indicators",
    "see": "term_see_also",
}
# Each list table's name in Swedish, for a reader choosing what to download.
LIST_TITLES = {
    "memberships": "Platser i grupperna (ledamöter)",
    "hosting": "Värdskap",
    "handling_steps": "Steg i regionernas hantering av kunskapsstöd",
    "sources": "Källor",
    "contacts": "Kontaktuppgifter",
    "participation_shares": "Regionernas andelar av sjukvårdsregionens platser",
    "governance": "Styrning i sjukvårdsregioner och regioner",
    "tasks": "Organens uppgifter",
    "open_questions": "Öppna frågor",
    "system_history": "Systemets historia",
    "system_levels": "Nivåernas uppdrag",
    "system_duties": "Regionernas åtaganden",
    "system_representation": "Representation i grupperna",
    "aliases": "Andra namn",
    "notes": "Noteringar",
    "working_group_knowledge_supports": "Arbetsgruppernas kunskapsstöd",
    "open_question_concerns": "Vad de öppna frågorna gäller",
    "nomination_competences": "Kompetenser som nomineringar söker",
    "follow_up_indicators": "Indikatorer för uppföljning",
    "term_see_also": "Ordlistans hänvisningar (se även)",
}
# Lists that are entities of their own (municipalities, glossary terms) or internal to
# the registry's upkeep (who reviews a folder).
NOT_TABLES = {"municipalities", "terms", "maintainers"}
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: str) -> str:
    """A text that no spreadsheet runs as a formula (OWASP's advice: a leading apostrophe)."""
    return "'" + value if value.startswith(FORMULA) else value


@dataclass
class Table:
    name: str
    key: list[str] = field(default_factory=list)  # the primary key's columns
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    # (column, table, its column): a foreign key
    refers: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, row: Mapping[str, Any]) -> None:
        for column in row:
            if column not in self.columns:
                self.columns.append(column)
        self.rows.append(dict(row))


def public(data: Any, include_private: bool) -> Any:
    """`data` without private contact details."""
    if isinstance(data, dict):
        result = {}
        for key, value in data.items():
            if key == "contact" and isinstance(value, list) and not include_private:
                value = [c for c in value if isinstance(c, dict) and c.get("public")]
            result[key] = public(value, include_private)
        return result
    if isinstance(data, list):
        return [public(v, include_private) for v in data]
    return data


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


BASE = ("ref", "kind", "id", "of")


def _shape(cls: type[Any], *, item: bool = False) -> tuple[list[str], dict[str, type[Any] | None]]:
    """The columns a model's plain fields give (nested models flattened with dots) and its
    lists, each with its item model (None: a list of plain values). An entity's `id` is
    the table's key already; a list item's own id (an open question's) is `slug`."""
    from ksctl.model import nested_models

    columns: list[str] = []
    lists: dict[str, type[Any] | None] = {}
    for name, info in cls.model_fields.items():
        key = info.alias or name
        if key in NOT_TABLES or (key == "id" and not item):
            continue
        if key == "id":
            columns.append("slug")
            continue
        annotation = info.annotation
        if _is_list(annotation):
            found = nested_models(annotation)
            lists[key] = found[0] if found else None
            continue
        inner = nested_models(annotation)
        if inner:
            sub_columns, sub_lists = _shape(inner[0], item=item)
            columns += [f"{key}.{c}" for c in sub_columns]
            lists.update({f"{key}.{k}": v for k, v in sub_lists.items()})
        else:
            columns.append(key)
    # How sure a fact is reads best after the fact itself.
    columns.sort(key=lambda c: c.rsplit(".", 1)[-1] == "confidence")
    return columns, lists


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(typing.get_origin(a) is list for a in typing.get_args(annotation))


class _Tables:
    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}

    def table(self, name: str, key: list[str] | None = None) -> Table:
        if name not in self.tables:
            self.tables[name] = Table(name, key or [])
        return self.tables[name]

    def seed(self, cls: type[Any], *, item: bool = False) -> list[str]:
        """Make the tables of a model's lists, with every column the models give, whether
        the data fills them or not: the same registry format gives the same tables."""
        columns, lists = _shape(cls, item=item)
        for key, model in lists.items():
            table = self.table(_table_name(key))
            extra = ["value"] if model is None else ["item", *self.seed(model, item=True)]
            for column in (*BASE, *extra):
                if column not in table.columns:
                    table.columns.append(column)
        return columns

    def entity(self, entity: Entity, data: Mapping[str, Any]) -> dict[str, Any]:
        """The entity's own row (plain fields, nested mappings flattened with dots); every
        list goes to its table."""
        return self._walk(entity.kind, entity.id, data, "")

    def _walk(self, kind: str, ident: str, data: Mapping[str, Any], at: str) -> dict[str, Any]:
        row: dict[str, Any] = {}
        ref = f"{kind}:{ident}" if kind else ""
        for key, value in data.items():
            if key in NOT_TABLES or (key == "id" and not at):
                continue
            if key == "id":
                row["slug"] = value
                continue
            if value is None:
                continue  # an empty cell; a nested part that is absent has its columns
            if isinstance(value, list):
                self.items(kind, ident, ref, key, value, at)
            elif isinstance(value, Mapping):
                for sub, inner in self._walk(kind, ident, value, f"{at}{key}.").items():
                    row[f"{key}.{sub}"] = inner
            else:
                row[key] = value
        return row

    def items(self, kind: str, ident: str, ref: str, key: str, value: list[Any], at: str) -> None:
        """A list's items as rows of its table; `at` is where the list sits in the entity."""
        table = self.table(_table_name(key))
        owner = at.rstrip("./").replace(".", "/")
        for i, item in enumerate(value):
            base = {"ref": ref, "kind": kind or "registry", "id": ident, "of": owner}
            if _scalar(item):
                table.add({**base, "value": item})
                continue
            place = f"{at.replace('.', '/')}{key}/{i}"
            inner = self._walk(kind, ident, item, place + "/")
            table.add({**base, "item": place, **inner})


# The names of licences a publisher is likely to choose, by the address `site.license`
# gives; another address is shown as it is.
LICENSES = {
    "creativecommons.org/publicdomain/zero/1.0": "CC0 1.0 (allmän egendom)",
    "creativecommons.org/licenses/by/4.0": "CC BY 4.0 (ange källan)",
    "creativecommons.org/licenses/by-sa/4.0": "CC BY-SA 4.0 (ange källan, dela lika)",
}


def license_name(url: str) -> str:
    """A licence's name for its address, or the address itself."""
    bare = url.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return LICENSES.get(bare, url)


# The columns every list table has, in Swedish; every other column is a key of the
# registry, named as the site names it (`labels.FIELD_LABELS`).
BASE_TITLES = {
    "ref": "post",
    "kind": "typ",
    "of": "hör till",
    "item": "plats i posten",
    "slug": "id i listan",
    "value": "värde",
    # the places a path names
    "npo_or_nsg": "programområde eller samverkansgrupp",
    "rpo": "RPO",
    "lpo": "LPO",
    "knowledge_support": "kunskapsstöd",
}


def column_title(column: str) -> str:
    """A column's name in Swedish: "conflict_of_interest.declared" is "jävsdeklaration,
    deklarationsdatum"."""
    from ksctl.labels import field_label

    parts = [BASE_TITLES.get(part) or field_label(part) for part in column.split(".")]
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def table_title(name: str) -> str:
    """A table's name in Swedish: a kind's plural, or the list it holds."""
    if name == "entities":
        return "Alla poster (ref, typ, id och namn)"
    if name in kinds.entity_kinds():
        return kinds.get(name).plural
    return LIST_TITLES.get(name, name)


def _table_name(key: str) -> str:
    last = key.rsplit(".", 1)[-1]
    return LIST_TABLES.get(last, last)


def tables(registry: Registry, *, include_private: bool) -> list[Table]:
    """Every table, in a stable order: entities, one per kind, then the lists."""
    from ksctl.model import Settings

    out = _Tables()
    everything = out.table("entities", ["ref"])
    everything.columns = ["ref", "kind", "id", "name"]
    own: dict[str, Table] = {}
    for kind in kinds.entity_kinds():
        table = own[kind] = Table(kind, ["id"])
        columns = ["id", *_place_columns(kind), *out.seed(layout.model_of(kind))]
        table.columns = list(dict.fromkeys(columns))
    out.seed(Settings)
    for e in sorted(registry, key=lambda e: (e.kind, e.id)):
        data = public(e.data or {}, include_private)
        everything.add({"ref": e.ref, "kind": e.kind, "id": e.id, "name": e.label})
        row = {"id": e.id, **_places(registry, e)}
        for key, value in out.entity(e, data).items():
            if value is not None or key not in row:  # a path's place unless data says one
                row[key] = value
        if e.kind == "municipality":
            # Its own field names a healthcare region only where it differs from its
            # region's; the table gives the one it belongs with, always.
            row["healthcare_region"] = (
                data.get("healthcare_region") or _places(registry, e)["healthcare_region"]
            )
        own[e.kind].add(row)
    settings = registry.settings
    if settings is not None and settings.open_questions:
        questions = [q.model_dump(mode="json", by_alias=True) for q in settings.open_questions]
        out.items("", "", "", "open_questions", questions, "")
    result = [everything, *(own[k] for k in sorted(own))]
    result += [out.tables[n] for n in sorted(out.tables) if n != "entities"]
    for table in result:
        _keys(table, own)
    return result


def _place_columns(kind: str) -> list[str]:
    if kind == "municipality":
        return ["region"]
    out: list[str] = []
    for place in kinds.get(kind).places:
        for ref_kind, _ in place.refs:
            column = _column(ref_kind)
            if column not in out:
                out.append(column)
    return out


def _places(registry: Registry, entity: Entity) -> dict[str, Any]:
    """The places and parents an entity's path names, as columns: `region` on an LPO,
    `npo` on a NAG; on a municipality its region and healthcare regions."""
    if entity.kind == "municipality":
        region = domain.region_of(entity)
        return {
            "region": region,
            "healthcare_region": domain.healthcare_region_of_region(registry, region)
            if region
            else None,
        }
    rel = entity.path.split("/", 1)[1] if "/" in entity.path else entity.path
    located = layout.locate(rel)
    if located is None:
        return {}
    out: dict[str, Any] = {}
    for alternatives, ident in located.path_refs:
        if "|" not in alternatives:
            out[alternatives.replace("-", "_")] = ident
            continue
        # One of several kinds (an NPO's or an NSG's working group): the reference says which.
        found = [k for k in alternatives.split("|") if registry.get(k, ident) is not None]
        out[_column(alternatives)] = f"{found[0]}:{ident}" if found else None
    return out


def _column(alternatives: str) -> str:
    return "_or_".join(k.replace("-", "_") for k in alternatives.split("|"))


@functools.cache
def _ref_targets() -> dict[str, tuple[str, str] | None]:
    """Each key that holds a reference in the models, with the table and column it names:
    a kind's table by `id` where it admits one kind, `entities` by `ref` where it is
    written kind:id; None where two models disagree, or where it may say `self`."""
    import inspect

    from pydantic import BaseModel

    from ksctl import model

    out: dict[str, tuple[str, str] | None] = {}
    for cls in vars(model).values():
        if not (inspect.isclass(cls) and issubclass(cls, BaseModel)):
            continue
        for name, info in cls.model_fields.items():
            marker = model.field_marker(info, model.RefTo)
            if marker is None:
                continue
            key = info.alias or name
            target = (
                None
                if marker.allow_self
                else ("entities", "ref")
                if marker.qualified
                else (marker.kinds[0], "id")
            )
            out[key] = target if out.get(key, target) == target else None
    return out


def _keys(table: Table, own: Mapping[str, Table]) -> None:
    """Foreign keys that hold in a registry without dangling references: every row's
    entity, a place a path names, and every column a reference field fills (`host`,
    `dormant_host`, `employer`, a seat's `person`, a list of references' `value`)."""
    if table.name != "entities" and "ref" in table.columns and table.name not in own:
        table.refers.append(("ref", "entities", "ref"))
    if table.name in own:
        for column in table.columns:
            if "_or_" in column:  # written kind:id, so an entity's reference
                table.refers.append((column, "entities", "ref"))
            kind = column.replace("_", "-")
            places = ("region", "healthcare_region", "npo", "rpo", "lpo", "knowledge_support")
            if column in places and kind in own:
                table.refers.append((column, kind, "id"))
    listed = [key for key, name in LIST_TABLES.items() if name == table.name]
    for column in table.columns:
        if column in ("id", "ref", "kind", "of", "item"):
            continue
        key = listed[0] if column == "value" and listed else column.rsplit(".", 1)[-1]
        target = _ref_targets().get(key)
        if target is None or (target[0] != "entities" and target[0] not in own):
            continue
        if not any(r[0] == column for r in table.refers):
            table.refers.append((column, *target))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return neutral(str(value))


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(row.get(c)) for c in table.columns])
    return buffer.getvalue()


def _type(values: Iterable[Any]) -> str:
    seen = [v for v in values if v is not None]
    if seen and all(isinstance(v, bool) for v in seen):
        return "boolean"
    if seen and all(isinstance(v, int) and not isinstance(v, bool) for v in seen):
        return "integer"
    if seen and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seen):
        return "number"
    return "string"


DESCRIPTIONS = {
    "ref": "posten raden hör till, som typ:id (entities.csv)",
    "kind": "typen av posten raden hör till",
    "id": "postens id, unikt inom sin typ",
    "item": "var i posten raden står, t.ex. members/3",
    "of": "den rad som en inre rad hör till (tom: posten själv)",
    "value": "ett värde i listan",
}


def datapackage(
    found: list[Table], *, title: str, data_as_of: str, commit: str, license_url: str | None
) -> dict[str, Any]:
    """The Frictionless Data Package describing the tables (version 1 of the spec, which
    every frictionless release reads)."""
    resources = []
    for table in found:
        fields = [
            {
                "name": c,
                "title": column_title(c),
                "type": _type(row.get(c) for row in table.rows),
                **({"description": DESCRIPTIONS[c]} if c in DESCRIPTIONS else {}),
            }
            for c in table.columns
        ]
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        if table.key:
            schema["primaryKey"] = table.key
        if table.refers:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": other, "fields": their}}
                for column, other, their in table.refers
            ]
        resources.append(
            {
                "name": table.name,
                "title": table_title(table.name),
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "kunskapsstyrning",
        "title": title,
        "description": "Nationellt system för kunskapsstyrning hälso- och sjukvård: "
        "programområden, grupper, värdskap, ledamöter, regioner och kunskapsstöd, "
        f"ur registret per {data_as_of} (commit {commit}).",
        "version": data_as_of,
        "created": f"{data_as_of}T00:00:00Z",
        "resources": resources,
    }
    if license_url:
        package["licenses"] = [{"path": license_url, "title": license_name(license_url)}]
    return package


def datapackage_text(package: Mapping[str, Any]) -> str:
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"
