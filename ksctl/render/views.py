"""Query results as views: a title, labelled fields and tables, in the user's language.

Pure data in, blocks out; `render.console` draws them with rich on a terminal and as plain
text when piped. Names stay Swedish; labels are English like the rest of the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ksctl.render.report import plural

Row = list[str]


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: Sequence[Row] = field(default_factory=list)
    empty: str = "none"


@dataclass
class Items:
    """A titled list, one entry to a line (wrapped, never cut), each entry with the lines
    that tell more about it indented below."""

    title: str
    entries: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class View:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table | Items] = field(default_factory=list)  # in the order shown
    notes: list[str] = field(default_factory=list)


def _name(item: Mapping[str, Any] | None, *, ref: bool = False) -> str:
    if not item:
        return "—"
    if ref and item.get("kind") not in (None, "", "self"):
        return f"{item['name']} ({item['kind']}:{item['id']})"
    return str(item.get("name", "—"))


def _period(item: Mapping[str, Any]) -> str:
    """A period as written; a seat known only from a source's date is "as of <date>", with
    its end when one is known (as the site says "enligt källa <date> – <end>")."""
    start, end = item.get("from"), item.get("to")
    if not start and item.get("as_of"):
        return f"as of {item['as_of']}" + (f" – {end}" if end else "")
    if not start and not end:
        return ""
    if not end and item.get("mandate_ends"):
        return f"{start} – (mandate to {item['mandate_ends']})"
    return f"{start or '…'} – {end or ''}".rstrip()


def _sure(item: Mapping[str, Any]) -> str:
    """How sure and how recent a fact is: "(confidence low; published 2021-05)"."""
    said = []
    if item.get("confidence") and item["confidence"] != "high":
        said.append(f"confidence {item['confidence']}")
    if item.get("published"):
        said.append(f"last published {item['published']}")
    return f" ({'; '.join(said)})" if said else ""


def reading(r: Mapping[str, Any]) -> str | None:
    """How a question was read, when not exactly: said on stderr beside the answer."""
    said = []
    if r.get("matched") == "fuzzy":
        subject: Any = r.get("via")
        for key in ("area", "group", "person", "entity", "host", "in", "term"):
            subject = subject or r.get(key)
        if isinstance(subject, Mapping):
            kind = subject.get("kind", "npo" if "area" in r else "")
            named = f"{subject.get('name')} ({kind}:{subject.get('id')})"
        else:
            named = str(subject)
        said.append(f"no exact match; read as {named}, the closest name: check it is the one meant")
    if r.get("via"):
        said.append(f"{r['via']['name']} is in {r['host']['name']}: answering for it")
    return "; ".join(said) or None


def who_hosts(r: Mapping[str, Any]) -> View:
    view = View(f"{r['area']['name']} (npo:{r['area']['id']})")
    area = r["area"]
    if r["host"] is None and not area.get("exists", True):
        since = f"it begins in {area['from']}" if area.get("from") else ""
        ended = f"it ended in {area['to']}" if area.get("to") else ""
        when = since if since and str(area["from"]) > r["at"] else ended or since
        view.fields.append(("host", f"none on {r['at']}: {when}".rstrip(": ")))
    elif r["host"] is None:
        view.fields.append(("host", f"none on {r['at']}"))
    else:
        view.fields.append(("host", _name(r["host"], ref=True)))
        if r["dormant_host"]:
            view.fields.append(("dormant host", _name(r["dormant_host"], ref=True)))
        view.fields.append(("since", (r["from"] or "unknown") + _sure(r)))
    for label, key in (("chair", "chair"), ("process leader", "process_leader")):
        view.fields.append(
            (
                label,
                ", ".join(f"{p['name']} {_period(p)}".rstrip() for p in r[key])
                or "not in the registry",
            )
        )
    if len(r["history"]) > 1:
        view.tables.append(
            Table(
                "hosting history",
                ["host", "dormant host", "period"],
                [
                    [
                        _name(h["host"]),
                        _name(h["dormant_host"]) if h["dormant_host"] else "",
                        _period(h),
                    ]
                    for h in r["history"]
                ],
            )
        )
    return view


def hosted_by(r: Mapping[str, Any]) -> View:
    view = View(f"Hosted by {_name(r['host'])} on {r['at']}")
    if r.get("via"):
        view.notes.append(f"{r['via']['name']} is in {r['host']['name']}")
    view.tables.append(
        Table(
            "",
            ["area", "as", "since"],
            [[a["name"], a["as"], a["from"] or "unknown"] for a in r["areas"]],
            empty="nothing",
        )
    )
    return view


def _seat_rows(seats: Sequence[Mapping[str, Any]], *, group: bool = False) -> list[Row]:
    rows: list[Row] = []
    for s in seats:
        who = "(vacant)" if s["vacant"] else _name(s["person"])
        represents = _name(s["represents"]) if s["represents"] else ""
        if group:
            rows.append(
                [
                    _name(s["group"], ref=True),
                    s["role_label"],
                    represents,
                    _period(s),
                    s["state"],
                ]
            )
        else:
            period = _period(s)
            if s["state"] == "upcoming":  # from a later date, or a source's date later
                open_ended = s.get("from") and not (s.get("to") or s.get("mandate_ends"))
                period = f"upcoming: from {s['from']}" if open_ended else f"upcoming: {period}"
                period = period.rstrip(": ")
            elif not period and not s["vacant"]:
                period = "dates unknown"  # the source gives none (KS437)
            rows.append([s["role_label"], who, represents, s.get("function") or "", period])
    return rows


def members(r: Mapping[str, Any]) -> View:
    view = View(f"{_name(r['group'], ref=True)} on {r['at']}")
    view.tables.append(
        Table(
            "members",
            ["role", "name", "represents", "function", "period"],
            _seat_rows(r["members"]),
            empty="no members in the registry",
        )
    )
    return view


def person(r: Mapping[str, Any]) -> View:
    p = r["person"]
    view = View(f"{p['name']} (person:{p['id']})")
    for label, key in (("title", "title"), ("unit", "unit")):
        if p.get(key):
            view.fields.append((label, p[key]))
    if p.get("employer"):
        view.fields.append(("employer", _name(p["employer"])))
    for c in p.get("contact") or []:
        view.fields.append((c["type"], c["value"]))
    view.tables.append(
        Table(
            "seats",
            ["group", "role", "represents", "period", "status"],
            _seat_rows(r["seats"], group=True),
            empty="no seats",
        )
    )
    return view


def listing(r: Mapping[str, Any]) -> View:
    where = f" in {r['in']['name']}" if r["in"] else ""
    view = View(f"{r['kind']}{where} on {r['at']}: {len(r['items'])}")
    extra = [
        k
        for k in ("host", "county_code", "healthcare_region", "members", "vacant")
        if any(k in i for i in r["items"])
    ]
    rows: list[Row] = []
    for item in r["items"]:
        row = [f"{item['kind']}:{item['id']}", item["name"]]
        for k in extra:
            value = item.get(k)
            row.append(
                _name(value) if isinstance(value, dict) else ("" if value is None else str(value))
            )
        rows.append(row)
    view.tables.append(
        Table("", ["id", "name", *[k.replace("_", " ") for k in extra]], rows, empty="nothing")
    )
    return view


LONG = 60  # a text longer than this gets a line of its own rather than a cell or a field
# Said elsewhere (members and sources have tables of their own) or only for the machine
# (ids of statements, which other files do not name in prose).
_NOT_SHOWN = {"members", "sources", "id"}


def _label(key: str) -> str:
    return key.replace("_", " ")


def _scalar(value: Any, names: Mapping[str, str]) -> str:
    """A value as a reader wants it: an entity's name for its id, yes or no for a flag."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_scalar(v, names) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = "" if value is None else str(value)
    return names.get(text, text)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _is_long(value: Any) -> bool:
    """Prose too long for a cell; a URL, however long, is one word."""
    return isinstance(value, str) and len(value) > LONG and " " in value.strip()


def _about(item: Mapping[str, Any], names: Mapping[str, str], skip: set[str]) -> list[str]:
    """The lines that tell more about one entry: its other fields, its notes, and how sure
    the registry is when that is not high."""
    lines = []
    for key, value in item.items():
        if key in skip or key in _NOT_SHOWN or key in ("notes", "confidence") or _empty(value):
            continue
        if key == "public":
            if value is False:
                lines.append("not public")
            continue
        if isinstance(value, Mapping):
            lines += [f"{_label(key)}: {line}" for line in _about(value, names, set())]
        else:
            lines.append(f"{_label(key)}: {_scalar(value, names)}")
    lines += list(item.get("notes") or [])
    if item.get("confidence") not in (None, "high"):
        lines.append(f"confidence {item['confidence']}")
    return lines


def _plain(value: Any) -> bool:
    """A value short enough for a cell or the head of an entry."""
    return not _empty(value) and not isinstance(value, Mapping | list) and not _is_long(value)


def _period_of(item: Mapping[str, Any]) -> str:
    return _period({"from": item.get("from"), "to": item.get("to"), "as_of": item.get("as_of")})


def _rows_block(key: str, items: list[Mapping[str, Any]], names: Mapping[str, str]) -> list[Any]:
    """A list of mappings: a table when every value is short (participation shares, steps,
    hosting), else one entry to a line (governance, tasks, open questions, history); the
    notes of a table's rows follow it, one to a line."""
    title = _label(key)
    columns: list[str] = []
    for item in items:
        columns += [
            k
            for k, v in item.items()
            if k not in columns and k not in _NOT_SHOWN and k not in ("notes", "public")
        ]
    columns = [k for k in columns if any(not _empty(i.get(k)) for i in items)]
    if "confidence" in columns and all(i.get("confidence") in (None, "high") for i in items):
        columns.remove("confidence")
    long = [k for k in columns if any(_is_long(i.get(k)) for i in items)]
    if long or any(isinstance(i.get(k), Mapping) for i in items for k in columns):
        main = long[0] if long else columns[-1]
        entries = []
        for item in items:
            in_head = [
                k
                for k in columns
                if k not in (main, "from", "to", "as_of", "confidence") and _plain(item.get(k))
            ]
            period = _period_of(item)
            head = ", ".join(
                [*[_scalar(item[k], names) for k in in_head], *[period][: bool(period)]]
            )
            text = _scalar(item.get(main), names)
            entry = f"{head}: {text}" if head and text else head or text
            entries.append((entry, _about(item, names, {main, "from", "to", "as_of", *in_head})))
        return [Items(title, entries)]
    dated = any(k in columns for k in ("from", "to", "as_of"))
    shown = [k for k in columns if k not in ("from", "to", "as_of")] + (["period"] if dated else [])
    rows = [
        [_period_of(i) if k == "period" else _scalar(i.get(k), names) for k in shown] for i in items
    ]
    not_public = [i for i in items if i.get("public") is False]
    blocks: list[Any] = [Table(title, [_label(k) for k in shown], rows)]
    if not_public:
        blocks[0].rows = [
            [*row[:-1], row[-1] + " (not public)"] if i.get("public") is False else row
            for row, i in zip(rows, items, strict=True)
        ]
    noted = [(row[0], list(i.get("notes") or [])) for row, i in zip(rows, items, strict=True)]
    if any(notes for _, notes in noted):
        blocks.append(
            Items(
                f"notes on {title}", [(f"{lead}: {n}", []) for lead, notes in noted for n in notes]
            )
        )
    return blocks


def _data_blocks(view: View, data: Mapping[str, Any], names: Mapping[str, str]) -> None:
    """An entity's own fields: short values as fields, lists and nested parts as tables or
    indented lists, long texts and notes one to a line."""
    for key, value in data.items():
        if key in _NOT_SHOWN or _empty(value) or key == "name":
            continue
        if isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
            view.tables.extend(_rows_block(key, value, names))
        elif isinstance(value, Mapping) and set(value) <= {"from", "to"}:
            view.fields.append((_label(key), _period(value)))  # a remiss: 2020-01-27 – …
        elif isinstance(value, Mapping):
            view.tables.append(
                Items(_label(key), [(line, []) for line in _about(value, names, set())])
            )
        elif key == "notes" or (isinstance(value, list) and any(_is_long(v) for v in value)):
            view.tables.append(Items(_label(key), [(str(v), []) for v in value]))
        elif _is_long(value):
            view.tables.append(Items(_label(key), [(str(value), [])]))
        else:
            view.fields.append((_label(key), _scalar(value, names)))


def show(r: Mapping[str, Any]) -> View:
    e = r["entity"]
    view = View(f"{e['name']} ({e['kind']}:{e['id']})")
    view.fields.append(("file", e["path"]))
    _data_blocks(view, r["data"], r.get("names") or {})
    rel = r["relations"]
    if "host" in rel:
        view.fields.append(
            (
                "current host",
                _name(rel["host"])
                + (f", dormant: {_name(rel['dormant_host'])}" if rel.get("dormant_host") else ""),
            )
        )
        view.tables.append(
            Table(
                "RPO per healthcare region",
                ["healthcare region", "RPO"],
                [
                    [
                        _name(x["healthcare_region"]),
                        _name(x["rpo"], ref=True) if x["rpo"] else "missing",
                    ]
                    for x in rel["rpo_by_healthcare_region"]
                ],
            )
        )
        view.tables.append(
            Table(
                "LPO per region",
                ["region", "LPO"],
                [
                    [
                        _name(x["region"]),
                        (
                            _name(x["lpo"], ref=True)
                            + (" (not established)" if x["status"] == "not-established" else "")
                        )
                        if x["lpo"]
                        else "missing",
                    ]
                    for x in rel["lpo_by_region"]
                ],
            )
        )
        for key, title in (
            ("working_groups", "working groups"),
            ("knowledge_supports", "knowledge supports"),
        ):
            view.tables.append(
                Table(
                    title, ["id", "name"], [[f"{x['kind']}:{x['id']}", x["name"]] for x in rel[key]]
                )
            )
    for key in ("regions", "lpo", "bodies"):
        if key in rel:
            view.tables.append(
                Table(
                    key, ["id", "name"], [[f"{x['kind']}:{x['id']}", x["name"]] for x in rel[key]]
                )
            )
    if "hosts" in rel:
        view.tables.append(
            Table(
                "hosts",
                ["area", "as", "since"],
                [[a["name"], a["as"], a["from"] or "unknown"] for a in rel["hosts"]],
                empty="nothing",
            )
        )
    if "members" in rel:
        view.tables.append(
            Table(
                "members",
                ["role", "name", "represents", "function", "period"],
                _seat_rows(rel["members"]),
                empty="no members in the registry",
            )
        )
    if "seats" in rel:
        view.tables.append(
            Table(
                "seats",
                ["group", "role", "represents", "period", "status"],
                _seat_rows(rel["seats"], group=True),
                empty="no seats",
            )
        )
    sources = r["data"].get("sources") or []
    if sources:
        view.tables.append(
            Table(
                "sources",
                ["source", "published", "retrieved", "address"],
                [
                    [
                        s.get("title") or s.get("document") or "",
                        s.get("published") or "",
                        s.get("retrieved") or "",
                        s.get("url") or "",
                    ]
                    for s in sources
                ],
            )
        )
    return view


def search(r: Mapping[str, Any]) -> View:
    view = View(f"{plural(len(r['items']), 'match', 'matches')} for {r['query']!r}")
    view.tables.append(
        Table(
            "",
            ["id", "name", "field", "text"],
            [[f"{i['kind']}:{i['id']}", i["name"], i["field"], i["text"]] for i in r["items"]],
            empty="nothing matches",
        )
    )
    return view


def explain(r: Mapping[str, Any]) -> View:
    view = View(f"{r['term']}: {r['expansion']}")
    view.notes.append(str(r["explanation"]))
    if r["see"]:
        view.fields.append(("see", ", ".join(_name(s, ref=True) for s in r["see"] if s)))
    return view


def stats(r: Mapping[str, Any]) -> View:
    view = View(f"Registry on {r['at']}")
    view.tables.append(
        Table(
            "groups per level",
            ["level", "programme areas", "collaboration", "working"],
            [[level, *[str(v) for v in counts.values()]] for level, counts in r["levels"].items()],
        )
    )
    view.tables.append(
        Table("entities", ["kind", "count"], [[k, str(v)] for k, v in r["counts"].items()])
    )
    rows: list[Row] = []
    for hr in r["national_seat_shares"]:
        for reg in hr["regions"]:
            rows.append(
                [
                    _name(hr["healthcare_region"]),
                    _name(reg["region"]),
                    str(reg["seats"]),
                    "" if reg["share"] is None else f"{reg['share']} %",
                    ""
                    if reg["published"] is None
                    else f"{reg['published']:g} % ({reg['published_as_of']})",
                ]
            )
    view.tables.append(
        Table(
            "national seats per region",
            ["healthcare region", "region", "seats", "share", "published"],
            rows,
        )
    )
    pr = r["patient_representation"]
    share = "" if pr["share"] is None else f" ({pr['share']} %)"
    view.fields.append(
        (
            "patient or next-of-kin representative",
            f"{pr['with_patient_representative']} of {pr['groups_with_members']} groups with "
            f"members{share}",
        )
    )
    view.tables.append(
        Table(
            "groups with vacant seats",
            ["group", "vacant", "filled"],
            [
                [_name(g, ref=True), str(g["vacant"]), str(g["filled"])]
                for g in r["groups_with_vacant_seats"]
            ],
        )
    )
    return view


def due(r: Mapping[str, Any]) -> View:
    where = f" in {_name(r['in'])}" if r.get("in") else ""
    view = View(f"Due{where} from {r['at']} to {r['until']}: {len(r['items'])}")
    view.tables.append(
        Table(
            "",
            ["date", "what", "entity", "detail", "responsible"],
            [
                [
                    i["date"] + (" (overdue)" if i["overdue"] else ""),
                    i["what"],
                    _name(i["entity"], ref=True),
                    i["detail"],
                    _name(i["responsible"]),
                ]
                for i in r["items"]
            ],
            empty="nothing falls due",
        )
    )
    listed = sum(1 for i in r["items"] if i["what"] == "sources stale")
    now, later = r.get("stale", 0), r.get("stale_by_until", 0)
    if (now or later) and not listed:
        has = "has" if now == 1 else "have"
        said = (
            [f"{plural(now, 'fact')} {has} no source newer than the policy allows"] if now else []
        )
        if later and now:
            said.append(f"{later} more will have none by {r['until']}")
        elif later:
            said.append(
                f"{plural(later, 'fact')} will have no source newer than the policy "
                f"allows by {r['until']}"
            )
        view.notes.append("; ".join(said) + " (ksctl due --stale lists them)")
    return view


_CELL = {"established": "LPO", "not-established": "contact", "missing": "—"}


def coverage(r: Mapping[str, Any]) -> View:
    view = View("LPO coverage: national areas × regions")
    view.notes.append(
        "LPO = local programme area; contact = not established, contact person named; — = missing"
    )
    regions = [reg["id"] for reg in r["regions"]]
    view.tables.append(
        Table(
            "",
            ["area", *regions],
            [
                [row["area"]["name"], *[_CELL[row["regions"][reg]] for reg in regions]]
                for row in r["areas"]
            ],
        )
    )
    return view


PLAIN_WIDTH = 100  # text for pipes and logs wraps here, the same on every machine


def item_lines(items: Items, width: int) -> list[str]:
    """A list's entries wrapped to `width`: each after a dash, what tells more about it
    indented below; a word longer than the line (a URL) is never broken."""
    lines = []
    for entry, details in items.entries:
        lines += _wrap(entry, width, "  - ", "    ")
        for detail in details:
            lines += _wrap(detail, width, "      ", "      ")
    return lines


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    import textwrap

    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def plain(view: View) -> str:
    """The view as plain text: for pipes, logs and NO_COLOR."""
    lines = [view.title]
    width = max((len(label) for label, _ in view.fields), default=0)
    lines += [f"  {label + ':':<{width + 1}} {value}" for label, value in view.fields]
    lines += [f"  {note}" for note in view.notes]
    for table in view.tables:
        lines.append("")
        if table.title:
            lines.append(f"{table.title}:")
        if isinstance(table, Items):
            lines += item_lines(table, PLAIN_WIDTH)
            continue
        if not table.rows:
            lines.append(f"  ({table.empty})")
            continue
        widths = [
            max(len(str(c)) for c in col) for col in zip(table.columns, *table.rows, strict=False)
        ]
        for row in [table.columns, *table.rows]:
            cells = [f"{c!s:<{w}}" for c, w in zip(row, widths, strict=False)]
            lines.append(("  " + "  ".join(cells)).rstrip())
    return "\n".join(lines) + "\n"
