"""The kit's manifest and zip: what was built from what, with checksums, in one archive.

In: the files written (name → bytes), the loaded deck (with its extends chain) and the options.
Out: ``manifest.json`` bytes (files with sha256 and size, deck and chain, options, dialoogkit
version) and ``<deck>-kit.zip`` bytes holding exactly the manifest's files, with fixed
timestamps so the same kit gives the same zip.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any, Mapping

from dialoogkit import __version__

ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def make_manifest(files: Mapping[str, bytes], deck: dict[str, Any], options: dict[str, Any]) -> bytes:
    """The manifest as pretty, stable JSON."""
    manifest = {
        "dialoogkit": __version__,
        "deck": deck,
        "options": options,
        "files": [{"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for name, data in sorted(files.items())],
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def make_zip(files: Mapping[str, bytes]) -> bytes:
    """A deflated zip of ``files`` (sorted, fixed dates: identical input gives identical bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()
