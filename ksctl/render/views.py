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
class View:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _name(item: Mapping[str, Any] | None, *, ref: bool = False) -> str:
    if not item:
        return "—"
    if ref and item.get("kind") not in (None, "", "self"):
        return f"{item['name']} ({item['kind']}:{item['id']})"
    return str(item.get("name", "—"))


def _period(item: Mapping[str, Any]) -> str:
    start, end = item.get("from"), item.get("to")
    if not start and not end:
        return f"as of {item['as_of']}" if item.get("as_of") else ""
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
    if r["host"] is None:
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
            period = f"from {s['from']}" if s["state"] == "upcoming" else _period(s)
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


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value) if value else ""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items() if v not in (None, [], ""))
    return "" if value is None else str(value)


def show(r: Mapping[str, Any]) -> View:
    e = r["entity"]
    view = View(f"{e['name']} ({e['kind']}:{e['id']})")
    view.fields.append(("file", e["path"]))
    for key, value in r["data"].items():
        if key in ("members", "sources") or value in (None, [], "", {}):
            continue
        view.fields.append((key.replace("_", " "), _value(value)))
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
                ["source", "retrieved"],
                [
                    [s.get("url") or s.get("document") or "", s.get("retrieved") or ""]
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
    view = View(f"Due from {r['at']} to {r['until']}: {len(r['items'])}")
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
