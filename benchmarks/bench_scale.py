"""Speed at national scale: ksctl against check-jsonschema on the same generated registry.

For each N it generates a registry (benchmarks/generate.py) and times, in one run:
`ksctl validate` cold (no cache), warm (nothing changed), after one changed file;
`ksctl who-hosts`; `ksctl export --html`; and check-jsonschema with ksctl's own schemas/
(schema checks only) as the baseline. It reports medians, ratios and peak memory, and with
--write-readme puts the table into docs/performance.md.

    python benchmarks/bench_scale.py --files 2000 20000 [--runs 3] [--write-readme]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

REPO = Path(__file__).resolve().parents[1]
START, END = "<!-- bench:scale:start -->", "<!-- bench:scale:end -->"
BIN = Path(sys.executable).parent


def run(cmd: list[str], env: dict[str, str], cwd: Path, *, peer: bool = False) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KB) of one command. A `peer` run (a
    check-jsonschema baseline) must end with its JSON report: one that failed before
    checking anything (a schema it cannot load) stops the benchmark, never counts."""
    wrapped = ["/usr/bin/time", "-f", "%M", *cmd] if Path("/usr/bin/time").exists() else cmd
    start = time.perf_counter()
    done = subprocess.run(wrapped, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    problem = peer_problem(done.stdout) if peer else None
    if problem is not None:
        raise SystemExit(
            f"{' '.join(cmd[:3])} ...: {problem}; not a measurement:\n{done.stderr[-2000:]}"
        )
    peak = 0
    if wrapped is not cmd:
        last = done.stderr.strip().splitlines()[-1:] or ["0"]
        peak = int(last[0]) if last[0].isdigit() else 0
    return seconds, peak


def peer_problem(stdout: str) -> str | None:
    """Why a check-jsonschema run (with `-o json`) measured nothing, or None when it
    checked its files (passing or failing them, as a validation run does)."""
    import json

    try:
        report = json.loads(stdout)
    except ValueError:
        return "check-jsonschema printed no report (it did not load its schema)"
    if not isinstance(report, dict) or report.get("status") not in ("ok", "fail"):
        return f"check-jsonschema's report is not one of a run: {stdout[:200]!r}"
    return None


def check_schemas(folder: Path) -> None:
    """Stop unless every schema in `folder` passes check-jsonschema's own metaschema check
    (with format checks): a baseline that cannot load a schema checks nothing."""
    done = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--check-metaschema",
            *map(str, sorted(folder.glob("*.json"))),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"schemas/ fails its metaschema; fix it first:\n{done.stdout[-2000:]}")


def check_jsonschema_cmds(registry: Path) -> list[list[str]]:
    sys.path.insert(0, str(REPO))
    from ksctl import layout

    by_kind: dict[str, list[str]] = defaultdict(list)
    for path in sorted(registry.rglob("*.yaml")):
        located = layout.locate(path.relative_to(registry).as_posix())
        if located is not None:
            by_kind[located.kind].append(str(path))
    return [
        [
            str(BIN / "check-jsonschema"),
            "--output-format",
            "json",
            "--schemafile",
            str(REPO / "schemas" / f"{kind}.schema.json"),
            *files,
        ]
        for kind, files in sorted(by_kind.items())
    ]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def bench(n: int, runs: int) -> dict[str, tuple[float, int]]:
    import compileall

    import ksctl as package

    # As an install would (pip compiles bytecode); an editable install on a machine with
    # PYTHONDONTWRITEBYTECODE would otherwise recompile ksctl on every run.
    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    work = Path(tempfile.mkdtemp(prefix=f"ksctl-scale-{n}-"))
    generate(work, n, seed=1, errors=0.01)
    registry = work / "registry"
    env = {**os.environ, "KSCTL_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    ksctl = str(BIN / "ksctl")
    out: dict[str, tuple[float, int]] = {}

    def timed(name: str, cmd: list[str], before: object = None, repeat: int = runs) -> None:
        samples, peaks = [], []
        for _ in range(repeat):
            if callable(before):
                before()
            s, p = run(cmd, env, work)
            samples.append(s)
            peaks.append(p)
        out[name] = (median(samples), max(peaks))

    def clear() -> None:
        shutil.rmtree(work / "cache", ignore_errors=True)

    timed("validate cold", [ksctl, "validate", "-f", "json"], clear)
    run([ksctl, "validate", "-f", "json"], env, work)
    timed("validate warm", [ksctl, "validate", "-f", "json"])
    target = sorted(registry.rglob("people/*.yaml"))[0]
    counter = iter(range(10**6))

    def touch() -> None:
        target.write_text(
            target.read_text(encoding="utf-8").replace("title: ", f"title: {next(counter)} ", 1),
            encoding="utf-8",
        )

    timed("validate, one file changed", [ksctl, "validate", "-f", "json"], touch)
    same = subprocess.run([ksctl, "validate", "-f", "json"], env=env, cwd=work, capture_output=True)
    fresh = subprocess.run(
        [ksctl, "validate", "-f", "json", "--no-cache"], env=env, cwd=work, capture_output=True
    )
    if same.stdout != fresh.stdout:
        raise SystemExit(f"N = {n}: the cached validation differs from a cold one")
    run([ksctl, "who-hosts", "akut"], env, work)
    # The query and its baseline alternate, so a burst of load on a shared machine hits both.
    query, base = [ksctl, "who-hosts", "akut"], [sys.executable, "-c", "import typer, pydantic"]
    samples: dict[str, list[tuple[float, int]]] = {"q": [], "b": []}
    for _ in range(max(runs, 9)):
        samples["q"].append(run(query, env, work))
        samples["b"].append(run(base, env, work))
    for name, key in (("who-hosts akut (warm)", "q"), ('python -c "import typer, pydantic"', "b")):
        out[name] = (median([t for t, _ in samples[key]]), max(m for _, m in samples[key]))
    timed(
        "export --html",
        [ksctl, "export", "--html", str(work / "site")],
        lambda: shutil.rmtree(work / "site", ignore_errors=True),
        repeat=1,
    )
    cj_samples, cj_peak = [], 0
    for _ in range(runs):
        total = 0.0
        for cmd in check_jsonschema_cmds(registry):
            s, p = run(cmd, env, work, peer=True)
            total += s
            cj_peak = max(cj_peak, p)
        cj_samples.append(total)
    out["check-jsonschema (schemas only)"] = (median(cj_samples), cj_peak)
    shutil.rmtree(work, ignore_errors=True)
    return out


def table(results: dict[int, dict[str, tuple[float, int]]]) -> str:
    sizes = sorted(results)
    rows = [
        "| what | " + " | ".join(f"N = {n:,}" for n in sizes) + " |",
        "| --- |" + " --- |" * len(sizes),
    ]
    names = list(next(iter(results.values())))
    for name in names:
        cells = []
        for n in sizes:
            seconds, peak = results[n][name]
            base = results[n]["check-jsonschema (schemas only)"][0]
            cells.append(f"{seconds:.2f} s, {peak / 1024:.0f} MB, {seconds / base:.2f}×")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def targets(results: dict[int, dict[str, tuple[float, int]]]) -> str:
    """The issue's targets, as ratios from this run, at the largest N (and the smallest for
    growth)."""
    big, small = max(results), min(results)
    r = results[big]
    cold, cold_mb = r["validate cold"][0], r["validate cold"][1] / 1024
    base = r["check-jsonschema (schemas only)"][0]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        f"Targets at N = {big:,}:",
        "",
        f"- cold validate {base / cold:.1f}× faster than check-jsonschema (target ≥ 5×): "
        + verdict(base / cold >= 5),
        f"- warm validate {r['validate warm'][0] / cold:.2f} of cold (target ≤ 0.10): "
        + verdict(r["validate warm"][0] / cold <= 0.10),
        f"- after one changed file {r['validate, one file changed'][0] / cold:.2f} of cold "
        "(target ≤ 0.20): " + verdict(r["validate, one file changed"][0] / cold <= 0.20),
    ]
    if big != small:
        s = results[small]
        one = s["validate, one file changed"][0] / s["validate cold"][0]
        lines.append(
            f"- after one changed file at N = {small:,}: {one:.2f} of cold (target ≤ 0.20): "
            + verdict(one <= 0.20)
        )
    query = r["who-hosts akut (warm)"][0] / r['python -c "import typer, pydantic"'][0]
    lines.append(
        f'- who-hosts {query:.2f}× `python -c "import typer, pydantic"` (target ≤ 1.0): '
        + verdict(query <= 1.0)
    )
    lines.append(
        f"- validate peak memory {cold_mb:.0f} MB (target < 500 MB): " + verdict(cold_mb < 500)
    )
    if big != small:
        grow = big / small
        t_ratio = r["export --html"][0] / results[small]["export --html"][0]
        m_ratio = r["export --html"][1] / max(results[small]["export --html"][1], 1)
        lines.append(
            f"- export --html from N = {small:,} to {big:,} ({grow:.0f}× the files): "
            f"{t_ratio:.1f}× the time, {m_ratio:.1f}× the peak memory (linear: at most "
            f"{grow:.0f}×): " + verdict(t_ratio <= grow * 1.2 and m_ratio <= grow * 1.2)
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[2000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    check_schemas(REPO / "schemas")
    results = {n: bench(n, args.runs) for n in args.files}
    text = (
        table(results)
        + f"\n\n(time, peak memory, ratio to check-jsonschema; medians of {args.runs} runs)\n\n"
        + targets(results)
    )
    print(text)
    if args.write_readme:
        readme = REPO / "docs" / "performance.md"
        body = readme.read_text(encoding="utf-8")
        block = f"{START}\n{text}\n{END}"
        body, count = re.subn(re.escape(START) + ".*?" + re.escape(END), block, body, flags=re.S)
        if count != 1:
            print("docs/performance.md has no bench:scale markers", file=sys.stderr)
            return 1
        readme.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
