"""Where a validation after one changed file spends its time: the floor under issue 12's
target (at most 0.20 of a cold run at N = 2,000).

On a generated registry it times, alternating so that the load of a shared machine hits
each alike (medians of --runs), a chain of processes that each do a little more than the
last: Python alone; importing typer; typer and pydantic; typer and ksctl's models; a warm
validation (nothing changed); a validation after one person's title changed; and a cold
one. The differences are what each step costs; the cold run is the yardstick.

    python benchmarks/bench_recheck.py [--files 2000] [--runs 9]
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

import ksctl as package

PY = sys.executable


def _time(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr.decode()[-2000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    # As an install would: bytecode compiled (PYTHONDONTWRITEBYTECODE would recompile).
    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    work = Path(tempfile.mkdtemp(prefix="ksctl-recheck-"))
    try:
        generate(work, args.files, seed=1, errors=0.01)
        env = {**os.environ, "KSCTL_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
        person = sorted((work / "registry").rglob("people/*.yaml"))[0]
        validate = [PY, "-m", "ksctl", "validate", "-f", "json"]

        def touch() -> None:
            text = person.read_text(encoding="utf-8")
            title = f"title: {random.randrange(10**6)} "
            person.write_text(re.sub(r"title: (\d+ )?", title, text, count=1), "utf-8")

        def cold() -> list[str]:
            shutil.rmtree(work / "cache", ignore_errors=True)
            return validate

        def changed() -> list[str]:
            touch()
            return validate

        steps: list[tuple[str, object]] = [
            ("python -c pass", [PY, "-c", "pass"]),
            ("import typer", [PY, "-c", "import typer"]),
            ("import typer, pydantic", [PY, "-c", "import typer, pydantic"]),
            ("import typer, ksctl.model", [PY, "-c", "import typer, ksctl.model"]),
            ("validate, warm", validate),
            ("validate, one file changed", changed),
            ("validate, cold", cold),
        ]
        _time(validate, env, work)  # the snapshot
        samples: dict[str, list[float]] = {name: [] for name, _ in steps}
        for _ in range(args.runs):
            for name, how in steps:
                cmd = how() if callable(how) else how
                assert isinstance(cmd, list)
                samples[name].append(_time(cmd, env, work))
                if name == "validate, cold" or name == "validate, one file changed":
                    _time(validate, env, work)  # warm again for the next round
        medians = {name: statistics.median(s) for name, s in samples.items()}
        whole = medians["validate, cold"]
        print(f"N = {args.files:,}, medians of {args.runs} alternating runs")
        print("| step | median | of a cold run |")
        print("| --- | --- | --- |")
        for name, _ in steps:
            print(f"| {name} | {medians[name] * 1000:.0f} ms | {medians[name] / whole:.2f} |")
        one = medians["validate, one file changed"] / whole
        floor = medians["import typer, ksctl.model"] / whole
        print(
            f"\nafter one changed file: {one:.2f} of cold (target ≤ 0.20); starting Python, "
            f"typer and the models alone: {floor:.2f}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
