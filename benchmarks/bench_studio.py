"""Benchmark of the deck studio through its HTTP interface, as a browser drives it.

In: nothing (it makes a workspace with a deck built on the standard deck in a temporary folder,
and starts ``dialoogkit studio`` on a free port of 127.0.0.1 as a separate process).
Out: on stdout, the server time from an edited statement to the new front and back preview (POST
of the lesson form, then GET of both images, each timed by the studio's ``Server-Timing`` header;
median and p95 over 200 edits, A6), the server time of the editor page for the standard deck
(median), and the server's memory (RSS) after 10 and after 200 edits, each against its target;
exit status 1 when a target is missed. The time this client saw is printed too.

    python benchmarks/bench_studio.py [--edits 200]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TOKEN = "bench-token-0123456789abcdef"
DECK = "extends: standaard\nid: bench\ntitle: Samen wonen in Noord\nregion: Regio Noord\n"
TARGETS = {"edit_median_ms": 150, "edit_p95_ms": 300, "page_median_ms": 300, "memory_ratio": 1.2}


def start(folder: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "dialoogkit", "studio", str(folder), "--no-browser",
                                "--token", TOKEN], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "DIALOOGKIT_LANG": "en"})
    for _ in range(20):
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if match:
            return process, match.group(1)
    process.kill()
    raise SystemExit("the studio did not start")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_ms(response: httpx.Response) -> float:
    """The time the studio spent on a request, from its Server-Timing header."""
    return float(re.search(r"dur=([0-9.]+)", response.headers["server-timing"]).group(1))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def lesson_form(page: str) -> dict[str, str]:
    """The lesson form's fields as the page has them (inputs, textareas, selected options)."""
    form = re.search(r'<form id="lesson-form".*?</form>', page, re.S).group(0)
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if name and (not kind or kind.group(1) not in ("checkbox", "radio", "submit", "file")):
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = html.unescape(value)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = html.unescape(chosen.group(1)) if chosen else ""
    return fields


def run(edits: int) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-studio-") as temp:
        folder = Path(temp)
        (folder / "noord").mkdir()
        deck = folder / "noord" / "deck.yaml"
        deck.write_text(DECK, encoding="utf-8")
        process, base = start(folder)
        try:
            client = httpx.Client(base_url=base, headers={"Origin": base}, timeout=60)
            client.get(f"/?token={TOKEN}")
            params = {"deck": "noord/deck.yaml", "view": "lesson", "lesson": "p:financiering-naar-schaal"}
            page_times = []
            for _ in range(21):
                page = client.get("/edit", params=params)
                page_times.append(server_ms(page))
                assert page.status_code == 200
            form = lesson_form(page.text)
            edit_times, wall_times, memory = [], [], {}
            for number in range(1, edits + 1):
                version = hashlib.sha256(deck.read_bytes()).hexdigest()
                fields = {**form, "deck": "noord/deck.yaml", "version": version, "view": "lesson",
                          "lesson": "p:financiering-naar-schaal", "tab": "card",
                          "statement": f"Vaste financiering is niet altijd nodig, zegt versie {number}"}
                began = time.perf_counter()
                answer = client.post("/action/lesson", data=fields)
                spent = server_ms(answer)
                images = [html.unescape(src) for src in re.findall(r'id="preview-(?:front|back)" src="([^"]+)"', answer.text)]
                for source in images:
                    image = client.get(source)
                    assert image.headers["content-type"] == "image/png"
                    spent += server_ms(image)
                wall_times.append((time.perf_counter() - began) * 1000)
                edit_times.append(spent)
                assert answer.status_code == 200 and len(images) == 2, answer.text[:500]
                if number in (10, edits):
                    memory[number] = rss_mb(process.pid)
            after_edit = server_ms(client.get("/edit", params=params))  # a new version: the whole check runs
        finally:
            process.terminate()
            process.wait(timeout=20)
    results = {"edit_median_ms": statistics.median(edit_times), "edit_p95_ms": percentile(edit_times, 0.95),
               "page_median_ms": statistics.median(page_times[1:]),
               "memory_ratio": memory[edits] / memory[10]}
    print(f"edit → front+back preview (A6, {edits} edits): median {results['edit_median_ms']:.0f} ms, "
          f"p95 {results['edit_p95_ms']:.0f} ms")
    print(f"  (as this client saw it, with its own HTTP overhead: median {statistics.median(wall_times):.0f} ms)")
    print(f"editor page (standard deck): median {results['page_median_ms']:.0f} ms "
          f"(first load, nothing cached: {page_times[0]:.0f} ms; right after an edit, with the whole check of "
          f"cards, canvases and guide: {after_edit:.0f} ms)")
    print(f"server memory: {memory[10]:.0f} MB after 10 edits, {memory[edits]:.0f} MB after {edits} "
          f"(ratio {results['memory_ratio']:.2f})")
    missed = [f"{name} {value:.2f} > {TARGETS[name]}" for name, value in results.items() if value > TARGETS[name]]
    print("all targets met" if not missed else "MISSED: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=200)
    sys.exit(run(parser.parse_args().edits))
