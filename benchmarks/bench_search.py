"""What a reader of the search page downloads before the first result, at scale.

For each N it generates a registry (benchmarks/generate.py), exports the site and weighs
what the search page needs for a query: the page, its stylesheet and script, the word
file of the query's first word and the item chunks of the hits shown (at most 100). It
reports bytes as written and gzipped (as a web server sends them), for the worst word of
all and for a few typical ones, and the largest page of the lists A–Ö (what a reader
without JavaScript opens).

    python benchmarks/bench_search.py --files 2000 20000
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ksctl.render import search

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

BIN = Path(sys.executable).parent
SHOWN = 100
CHUNK = 100


def weight(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 9))


def _doc(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    found = re.fullmatch(r'ksctlSok\("[\w-]+",(.*)\);\n', text, re.S)
    assert found, path
    result: dict = json.loads(found[1])
    return result


def query_weight(site: Path, word: str) -> tuple[int, int, int]:
    """(bytes, gzipped bytes, hits) a query for `word` downloads, page and script included."""
    index = site / "static/sok"
    files = [site / "sok.html", site / "static/style.css", site / "static/search.js"]
    if len(word) >= 3:
        words = index / f"w-{word[:3]}.js"
        if not words.is_file():
            return (*[sum(x) for x in zip(*map(weight, files), strict=True)], 0)
        doc = _doc(words)
        hits = sorted(
            {
                n
                for field in ("names", "notes")
                for w, d in doc[field].items()
                if w.startswith(word)
                for n in search.ids_of(d)
            }
        )
        files.append(words)
    else:
        top = index / f"t-{word}.js"
        hits = search.ids_of(_doc(top)["top"]) if top.is_file() else []
        files.append(top)
    files += [index / f"i-{c}.js" for c in sorted({n // CHUNK for n in hits[:SHOWN]})]
    raw, packed = (sum(x) for x in zip(*map(weight, files), strict=True))
    return raw, packed, len(hits)


def worst_word(site: Path) -> str:
    return max((site / "static/sok").glob("w-*.js"), key=lambda p: p.stat().st_size).stem[2:]


def bench(n: int) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix=f"ksctl-search-{n}-"))
    try:
        generate(work / "registry", n, seed=1, errors=0.0)
        site = work / "site"
        subprocess.run(
            [
                str(BIN / "ksctl"),
                "export",
                "--html",
                str(site),
                "--registry",
                str(work / "registry"),
            ],
            check=True,
            capture_output=True,
        )
        worst = worst_word(site)
        result: dict[str, object] = {
            "pages": len(list(site.rglob("*.html"))),
            "index_files": len(list((site / "static/sok").glob("*.js"))),
        }
        for word in ("akut", "region", "an", worst):
            result[f"query {word!r}"] = query_weight(site, word)
        result["largest page A–Ö"] = max(weight(p) for p in site.glob("alla/*.html"))
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[2000, 20000])
    args = parser.parse_args()
    for n in args.files:
        print(f"N = {n:,} files")
        for key, value in bench(n).items():
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
