"""The team server's request log: one JSON line per request, without personal data.

In: a request's method, path, answer status, the role that asked and the time it took.
Out: one line on the ``dialoogkit.serve.requests`` logger (standard error unless IT configures
logging otherwise): time, method, path, status, role, milliseconds. No query string (it may hold a
deck's or a file's name), no e-mail, no address, no cookie.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

LOGGER = logging.getLogger("dialoogkit.serve.requests")


def set_up_logging() -> None:
    """Send the request log to standard error as bare lines (once per process)."""
    if LOGGER.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False


def log_request(method: str, path: str, status: int, role: str, milliseconds: float) -> None:
    """Log one request as a JSON line (see module docstring)."""
    LOGGER.info(json.dumps({
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "method": method, "path": path, "status": status, "role": role or None,
        "ms": round(milliseconds, 1),
    }, ensure_ascii=False))
