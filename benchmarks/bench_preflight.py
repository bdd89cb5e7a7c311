"""Benchmark of the preflight the build runs on every PDF it writes (no QR rendering, no text zone).

In: nothing; builds the standard deck's kit (cards, canvases, guide) and the cards of a generated
200-lesson deck (tests/kitdecks.py) in a temporary folder.
Out: per file, the CPU time of the whole preflight and of its structural checks alone (boxes and
fonts: the content-stream ink analysis and the PDF/X checks switched off), the median of a few
runs each; the ratio full / structural, and the full preflight as a share of the build's CPU time,
which the target bounds: the preflight runs on every build. (Measured for issue 13 against the
preflight before it, which scanned the content with a regular expression: standard deck 0.065 s
→ 0.10 s, 200-lesson cards-printshop.pdf 0.21 s → 0.40 s, cards-sheets.pdf 0.14 s → 0.11 s.)
Run: python benchmarks/bench_preflight.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

TARGET_SHARE = 0.25  # the preflight may take at most a quarter of the build's CPU time


def cpu(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


@contextmanager
def structural_only():
    """The preflight as it was before the print-shop checks: no ink analysis, no PDF/X."""
    from dialoogkit.output import preflight as module
    from dialoogkit.output.preflight_ink import PageInk

    with mock.patch.object(module, "analyse_page", lambda *args, **kwargs: PageInk()), \
            mock.patch.object(module, "STRICT", ()):
        yield


def build(deck: str, out: Path, parts: tuple[str, ...]) -> tuple[Path, float]:
    from dialoogkit.output.build import BuildOptions, build_kit

    start = time.process_time()
    written = build_kit(deck, BuildOptions(output=out, parts=parts))
    return written[0].parent, time.process_time() - start


def measure(folder: Path, names: list[str], build_seconds: float, runs: int, label: str) -> None:
    from dialoogkit.output.kitfiles import preflight_kind
    from dialoogkit.output.preflight import preflight

    total_full = total_base = 0.0
    for name in names:
        data = (folder / name).read_bytes()
        kind = preflight_kind(name)
        full = cpu(lambda: preflight(data, kind, qr=False, text=False), runs)
        with structural_only():
            base = cpu(lambda: preflight(data, kind, qr=False, text=False), runs)
        total_full, total_base = total_full + full, total_base + base
        print(f"  {name:<22} full {full * 1000:7.1f} ms   structural {base * 1000:7.1f} ms   ratio {full / base:4.2f}")
    share = total_full / build_seconds
    print(f"{label}: full {total_full:.3f} s, structural {total_base:.3f} s, ratio {total_full / total_base:.2f}; "
          f"the preflight is {share:.0%} of the build's {build_seconds:.2f} s CPU = {share / TARGET_SHARE:.2f} × "
          f"the {TARGET_SHARE:.0%} target")


def main() -> None:
    from kitdecks import deck_data, write_deck

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, seconds = build("standaard", Path(tmp) / "std", ("cards", "canvases", "guide"))
        measure(folder, ["cards-printshop.pdf", "canvases.pdf", "cards-sheets.pdf", "guide.pdf"], seconds, args.runs,
                "standard deck")
        deck = write_deck(Path(tmp) / "kit.yaml", deck_data(200))
        folder, seconds = build(str(deck), Path(tmp) / "big", ("cards",))
        measure(folder, ["cards-printshop.pdf", "cards-sheets.pdf"], seconds, max(1, args.runs // 2),
                "200 lessons")


if __name__ == "__main__":
    main()
