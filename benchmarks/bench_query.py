"""How fast a query feels: `ksctl who-hosts akut` against Python importing typer and pydantic.

Both are timed in the same run, alternating, so the ratio holds on a noisy shared machine
where absolute times do not. The target (issue 4) is a ratio of at most 1.0 from a warm
cache. Run by hand or in CI:

    python benchmarks/bench_query.py [--runs 15] [--registry registry] [--write-readme]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START, END = "<!-- bench:query:start -->", "<!-- bench:query:end -->"


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--registry", type=Path, default=REPO / "registry")
    parser.add_argument("--area", default="akut")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()

    ksctl = shutil.which("ksctl", path=str(Path(sys.executable).parent)) or "ksctl"
    # An installed package has its bytecode compiled by pip; an editable install under
    # PYTHONDONTWRITEBYTECODE (as on CI machines) would recompile ksctl on every run, which
    # the baseline's site-packages never does. Compile once, as an install would.
    import ksctl as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    cache = tempfile.mkdtemp(prefix="ksctl-bench-")
    env = {**os.environ, "KSCTL_CACHE_DIR": cache, "NO_COLOR": "1"}
    query = [ksctl, "who-hosts", args.area, "--registry", str(args.registry)]
    baseline = [sys.executable, "-c", "import typer, pydantic"]
    cold = _time([*query, "--no-cache"], env)
    _time(query, env)  # warm the cache
    warm, base = [], []
    for _ in range(args.runs):
        warm.append(_time(query, env))
        base.append(_time(baseline, env))
    shutil.rmtree(cache, ignore_errors=True)
    w, b = statistics.median(warm), statistics.median(base)
    rows = [
        "| what | median | ratio to baseline |",
        "| --- | --- | --- |",
        f'| `python -c "import typer, pydantic"` (baseline) | {b * 1000:.0f} ms | 1.00× |',
        f"| `ksctl who-hosts {args.area}`, warm cache | {w * 1000:.0f} ms | {w / b:.2f}× |",
        f"| `ksctl who-hosts {args.area} --no-cache` (parse and validate everything), once "
        f"| {cold * 1000:.0f} ms | {cold / b:.2f}× |",
    ]
    table = "\n".join(rows)
    print(table)
    print(f"target: warm query at most 1.0× the baseline: {'met' if w <= b else 'NOT met'}")
    if args.write_readme:
        readme = REPO / "docs" / "performance.md"
        text = readme.read_text(encoding="utf-8")
        block = f"{START}\n{table}\n{END}"
        text, n = re.subn(re.escape(START) + ".*?" + re.escape(END), block, text, flags=re.S)
        if n != 1:
            print("docs/performance.md has no bench:query markers", file=sys.stderr)
            return 1
        readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
