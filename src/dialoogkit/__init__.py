"""dialoogkit: printable dialogue cards, canvases and guides from lessons learned in practice.

In: nothing at import time (kept light so the CLI starts fast).
Out: the package version as ``__version__``.
"""

__version__ = "0.1.0"
