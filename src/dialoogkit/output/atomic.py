"""Atomic file writes: a file appears complete or not at all, and a failure keeps the old one.

In: a target path and the bytes to write (or a callable that writes to a binary file).
Out: the file at ``path``, written to a temporary file in the same folder and renamed into place
only when complete; on any error the temporary file is removed and ``OutputError`` is raised.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dialoogkit.errors import OutputError, describe_os_error

TEMP_PREFIX = ".dialoogkit-tmp-"


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, path, reading=False)) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(describe_os_error(exc, path, reading=False)) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path
