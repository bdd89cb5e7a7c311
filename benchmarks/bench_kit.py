"""Benchmark of the complete kit of the standard deck (cards, canvases, guide, PNGs, manifest, zip).

In: nothing; runs ``python -m dialoogkit build -q`` in a fresh process a few times.
Out: wall time per run (including interpreter start-up), the median, and its ratio to the 4 s
target of issue 6, plus the time per part for one in-process build.
Run: python benchmarks/bench_kit.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 4.0


def time_cli(out: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dialoogkit", "build", "-q", "-o", out], check=True)
    return time.perf_counter() - start


def time_parts(out: str) -> dict[str, float]:
    from dialoogkit.output.build import BuildOptions, build_kit

    times = {}
    for part in ("cards", "canvases", "guide", "png"):
        start = time.perf_counter()
        build_kit("standaard", BuildOptions(output=Path(out), parts=(part,)))
        times[part] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [time_cli(tmp) for _ in range(args.runs)]
        parts = time_parts(tmp)
    median = statistics.median(runs)
    print("full kit, wall (s): " + ", ".join(f"{r:.2f}" for r in runs))
    print(f"median {median:.2f} s = {median / TARGET_SECONDS:.2f} × the {TARGET_SECONDS:g} s target")
    print("one part at a time (in process, s; png includes drawing the PDFs it renders): "
          + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))


if __name__ == "__main__":
    main()
