"""Old against new in one run: the builds of issue 22 item 5 ("Faster"), reported as ratios
(never part of the test suite).

In: a git commit to compare with (default: the parent of 33985b2, the code before issue 22's first
change), checked out read-only with ``git worktree add --detach`` into a temporary folder and run
with ``PYTHONPATH=<worktree>/src``; the working tree's code is "new". Both build the same fixed
deck files, copied into a temporary folder first (the bundled deck texts may change while this
runs), so only the code differs.
Out: a table on stdout, the median of ``--runs`` runs, old and new alternating, each build in a
fresh Python process (timed from before the import of the build to its end):
  - the standard deck's card build (``--only cards``) and its full kit, old and new, and their ratio
    (target: new at least 1.5 times faster);
  - 1000 lessons' two card PDFs, preflight included, new, against one run of the bare reportlab
    script of ``bench_cards.py`` drawing the same faces (target: at most 1.0).

Run: .venv/bin/python benchmarks/bench_speed.py [--runs 3] [--lessons 1000] [--commit REV]
The worktree is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BEFORE = "33985b2^"

TIMED = """
import json, sys, time
start = time.perf_counter()
from pathlib import Path
from dialoogkit.output.build import BuildOptions, build_kit
deck, out, parts = sys.argv[1], sys.argv[2], sys.argv[3]
options = BuildOptions(output=Path(out)) if parts == "all" else BuildOptions(output=Path(out), parts=(parts,))
build_kit(deck, options)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def timed_build(source: Path, deck: Path, out: Path, parts: str) -> float:
    """Seconds of one build of ``deck`` by the code in ``source`` (a ``src`` folder), in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(source))
    result = subprocess.run([sys.executable, "-c", TIMED, str(deck), str(out), parts], capture_output=True,
                            text=True, env=env, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"]


def bare_seconds(deck: Path, out: Path) -> float:
    """One run of ``bench_cards.py``'s bare reportlab script on ``deck``."""
    sys.path.insert(0, str(HERE))
    import bench_cards

    return bench_cards.measure("bare", str(deck), str(out))["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--commit", default=BEFORE)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import bench_cards

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old_tree = tmp / "old"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(old_tree), args.commit],
                       check=True, capture_output=True)
        try:
            standard = tmp / "standaard.yaml"
            shutil.copy(REPO / "src/dialoogkit/cards/data/decks/standaard.yaml", standard)
            big = tmp / f"deck-{args.lessons}.yaml"
            big.write_text(yaml.safe_dump(bench_cards.synthetic_deck(args.lessons), allow_unicode=True), "utf-8")
            sources = {"old": old_tree / "src", "new": REPO / "src"}
            times: dict[str, list[float]] = {}
            for _ in range(args.runs):
                for label, parts in (("standard cards", "cards"), ("standard kit", "all")):
                    for side in ("old", "new"):
                        times.setdefault(f"{label} {side}", []).append(
                            timed_build(sources[side], standard, tmp / "out", parts))
                times.setdefault("bare reportlab", []).append(bare_seconds(big, tmp))
                times.setdefault(f"{args.lessons} lessons cards new", []).append(
                    timed_build(sources["new"], big, tmp / "out", "cards"))
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old_tree)], check=False,
                           capture_output=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"{'run':<32}{'median s':>10}   runs")
    for name, value in median.items():
        print(f"{name:<32}{value:>10.2f}   " + " ".join(f"{v:.2f}" for v in times[name]))
    for label in ("standard cards", "standard kit"):
        print(f"{label}: old / new = {median[f'{label} old'] / median[f'{label} new']:.2f}  (target ≥ 1.5)")
    ratio = median[f"{args.lessons} lessons cards new"] / median["bare reportlab"]
    print(f"{args.lessons} lessons, both card PDFs with preflight / bare reportlab = {ratio:.2f}  (target ≤ 1.0)")


if __name__ == "__main__":
    main()
