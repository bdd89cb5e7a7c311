"""The kit's manifest and zip: what was built from what, with checksums, in one archive.

In: the kit's files as they lie in the (staging) folder, the deck facts (with its extends chain)
and the options.
Out: ``manifest.json`` bytes (files with sha256 and size, deck and chain, options, dialoogkit
version) and ``<deck>-kit.zip`` holding exactly the manifest's files plus the manifest, written
file by file with fixed timestamps, so the same kit gives the same zip and a large kit is never
held in memory.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from dialoogkit import __version__

ZIP_DATE = (2000, 1, 1, 0, 0, 0)
CHUNK = 1 << 20


def describe_file(path: Path) -> tuple[int, str]:
    """Size and sha256 of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def make_manifest(folder: Path, names: list[str], deck: dict[str, Any], options: dict[str, Any]) -> bytes:
    """The manifest of the files ``names`` in ``folder`` as pretty, stable JSON."""
    files = []
    for name in sorted(names):
        size, digest = describe_file(folder / name)
        files.append({"name": name, "bytes": size, "sha256": digest})
    manifest = {"dialoogkit": __version__, "deck": deck, "options": options, "files": files}
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def write_zip(folder: Path, names: list[str], target: Path) -> None:
    """A zip at ``target`` of the files ``names`` in ``folder`` (sorted, fixed dates): deflated, but
    PNG images stored as they are (they are deflated already: a second time gains nothing)."""
    with zipfile.ZipFile(target, "x", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(names):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name.lower().endswith(".png") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(folder / name, "rb") as source, archive.open(info, "w") as entry:
                while chunk := source.read(CHUNK):
                    entry.write(chunk)
