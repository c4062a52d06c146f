"""Start-up: ``digest --help`` and a cold ``digest run`` on the sample, each timed
as a whole process over several runs, next to ``python -c pass``.

    python bench/startup.py            # --runs N (default 5)

``digest run`` runs in a fresh copy of ``config.toml`` and ``examples/`` each time
(a new store: ingest, select, render, send to the ``out`` folder), so every run
is cold.  Targets: ``digest --help`` under 0.25 s, ``digest run`` under 1.5 s
(median of the runs).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
DIGEST = str(Path(sys.executable).with_name("digest"))


def timed(command: list[str], cwd: Path) -> float:
    """Seconds the command takes as a whole process (it must succeed)."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bare: list[float] = []
    help_: list[float] = []
    run: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.runs):
            folder = Path(tmp) / f"run-{n}"
            folder.mkdir()
            shutil.copy(ROOT / "config.toml", folder)
            shutil.copytree(ROOT / "examples", folder / "examples")
            bare.append(timed([sys.executable, "-c", "pass"], folder))
            help_.append(timed([DIGEST, "--help"], folder))
            run.append(timed([DIGEST, "run", "--as-of", "2020-11-23T10:00+05:30"], folder))

    def line(name: str, values: list[float], target: str) -> str:
        each = ", ".join(f"{v:.2f}" for v in values)
        return (
            f"{name:<26} median {median(values):5.2f} s  min {min(values):5.2f} s  ({each}){target}"
        )

    print(line("python -c pass", bare, ""))
    print(line("digest --help", help_, "; target < 0.25 s"))
    print(line("digest run (cold, sample)", run, "; target < 1.5 s"))


if __name__ == "__main__":
    main()
