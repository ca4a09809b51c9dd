"""The Atom feed of the registry's changes (`andringar.xml`), written with feedgen.

One entry per commit that changed the registry, newest first, with the changes phrased in
Swedish. Everything in it comes from the history (ids, times, texts), never from the
clock, so the same history gives the same bytes. Links are relative to the site unless
`site.url` in ksctl.yaml says where it is published.
"""

from __future__ import annotations

import uuid
from typing import Any

from ksctl import __version__
from ksctl.render.changes import PAGE


def _id(base: str | None, anchor: str, seed: str) -> str:
    if base:
        return f"{base}{PAGE}.html#{anchor}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'ksctl:' + seed)}"


def atom(
    entries: list[dict[str, Any]],
    *,
    title: str,
    updated: str,
    base: str | None = None,
    author: str | None = None,
) -> bytes:
    """The feed as UTF-8 XML. `updated` is the newest change's time (or the data's date when
    there is none); `base` the site's published address, ending in /."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(_id(base, "", "feed:" + title))
    fg.title(f"Senaste ändringar – {title}")
    fg.language("sv")
    fg.updated(entries[0]["time"] if entries else f"{updated}T00:00:00+00:00")
    fg.author({"name": author or title})
    fg.link(href=f"{base or ''}{PAGE}.html", rel="alternate", type="text/html")
    if base:
        fg.link(href=f"{base}{PAGE}.xml", rel="self", type="application/atom+xml")
    fg.generator("ksctl", version=__version__)
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(_id(base, entry["anchor"], "commit:" + entry["commit"]))
        fe.title(entry["title"])
        fe.updated(entry["time"])
        fe.link(href=f"{base or ''}{PAGE}.html#{entry['anchor']}", rel="alternate")
        fe.content("\n".join(entry["lines"]), type="text")
    data: bytes = fg.atom_str(pretty=True)
    return data
