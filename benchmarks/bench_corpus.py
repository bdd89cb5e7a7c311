"""Benchmark of the bad-input corpus, reported as ratios to interpreter start-up (never part of the
test suite: ``tests/test_corpus.py`` asserts behaviour and a memory cap, not wall time, which
flakes on a loaded machine).

In: every entry of ``CASES`` in ``tests/test_corpus.py`` (or those named with ``--only``), run one
after the other with that file's own helpers: the same commands (``check``, ``check --format a6``,
``build``…) through the same launcher and memory cap.
Out: a table on stdout: per entry and stage the wall time as a ratio to ``python -m dialoogkit
--help`` (started through the same launcher), then per stage the median and slowest run as ratios
to both ``python -c pass`` and ``dialoogkit --help``, against the old limit expressed as a ratio.

The old limit: 2.5 s per run (a 2 s target plus interpreter start-up) on the 2-core development
machine, where ``python -c pass`` took 0.010 s and ``dialoogkit --help`` through the launcher
0.114 s (idle, median of 15). As ratios: at most 250 × ``python -c pass``, 22 × ``--help``.

Run: .venv/bin/python benchmarks/bench_corpus.py [--only NAME ...] [--repeat 9]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
TARGET_SECONDS = 2.5
STARTUP_WHEN_SET = {"python -c pass": 0.010, "dialoogkit --help": 0.114}
TARGET_RATIO = {name: TARGET_SECONDS / seconds for name, seconds in STARTUP_WHEN_SET.items()}
STAGES = ("check", "check on a terminal", "check --format a6", "build")


def load_corpus_module():
    """``tests/test_corpus.py`` as a module (it needs pytest importable, as the tests do)."""
    sys.path.insert(0, str(TESTS))
    spec = importlib.util.spec_from_file_location("test_corpus", TESTS / "test_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["test_corpus"] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def startup(corpus, folder: Path, repeat: int) -> dict[str, float]:
    """Median wall time of ``python -c pass`` and of ``dialoogkit --help`` (through the launcher)."""
    bare = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
    help_runs = [corpus.run_dialoogkit(["--help"], folder) for _ in range(repeat)]
    assert all(run.status == 0 for run in help_runs), help_runs[0].describe()
    return {"python -c pass": statistics.median(bare),
            "dialoogkit --help": statistics.median(run.wall for run in help_runs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only the entries whose name contains NAME")
    parser.add_argument("--repeat", type=int, default=9, help="runs of each start-up measurement (median)")
    args = parser.parse_args()
    corpus = load_corpus_module()
    cases = [case for case in corpus.CASES if not args.only or any(part in case.name for part in args.only)]
    if not cases:
        parser.error("no corpus entry matches --only")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        base = startup(corpus, root, args.repeat)
        walls: dict[str, dict[str, float]] = {}
        notes: dict[str, str] = {}
        for case in cases:
            outcome = corpus.execute(case, root / "runs" / case.name)
            walls[case.name] = {label: run.wall for label, run in outcome.runs.items()}
            hung = [label for label, run in outcome.runs.items() if run.timed_out]
            capped = [label for label, run in outcome.runs.items() if run.cap_hit]
            notes[case.name] = " ".join([*(f"HANG:{label}" for label in hung), *(f"CAP:{label}" for label in capped)])

    unit = base["dialoogkit --help"]
    target = TARGET_RATIO["dialoogkit --help"]
    print(f"start-up (median of {args.repeat}): python -c pass {base['python -c pass']:.3f} s, "
          f"dialoogkit --help {unit:.3f} s")
    print(f"\nwall time per run as a ratio to dialoogkit --help ('!' over the old limit, {target:.0f}×)")
    width = max(len(name) for name in walls) + 2
    print(f"{'entry':<{width}}" + "".join(f"{stage:>22}" for stage in STAGES))
    for name, stages in walls.items():
        cells = []
        for stage in STAGES:
            if stage in stages:
                ratio = stages[stage] / unit
                cells.append(f"{ratio:>21.1f}{'!' if ratio > target else ' '}")
            else:
                cells.append(f"{'':>22}")
        print(f"{name:<{width}}" + "".join(cells) + (f"  {notes[name]}" if notes[name] else ""))

    print(f"\nper stage{'':<13}{'runs':>6}{'median':>9}{'slowest':>9}   ratios to python -c pass "
          f"(old limit {TARGET_RATIO['python -c pass']:.0f}×) / dialoogkit --help (old limit {target:.0f}×)")
    over = 0
    for stage in STAGES:
        times = [stages[stage] for stages in walls.values() if stage in stages]
        if not times:
            continue
        median, slowest = statistics.median(times), max(times)
        over += sum(t / unit > target for t in times)
        print(f"  {stage:<20}{len(times):>6}{median:>8.2f}s{slowest:>8.2f}s   "
              f"{median / base['python -c pass']:>6.0f}× {slowest / base['python -c pass']:>6.0f}×  /  "
              f"{median / unit:>5.1f}× {slowest / unit:>5.1f}×")
    print(f"\nruns over the old limit ({target:.0f}× dialoogkit --help): {over}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
