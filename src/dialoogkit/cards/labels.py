"""Fixed labels of the materials ("Gespreksvragen", "Zelf oppakken", …), one table per language.

In: a language code of a deck (``nl`` or ``en``).
Out: a ``Labels`` mapping from label key to text, read from package data.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

import yaml

Labels = Mapping[str, str]


@lru_cache(maxsize=None)
def load_labels(language: str) -> Labels:
    """The label table of ``language``; every language has the same keys."""
    text = (resources.files("dialoogkit.cards") / "data" / "labels" / f"{language}.yaml").read_text("utf-8")
    table = yaml.safe_load(text)
    return MappingProxyType({str(k): str(v) for k, v in table.items()})
