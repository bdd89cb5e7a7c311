"""The studio's interface texts in the user's language, from the message tables the command line
uses (``data/messages/<language>/studio.yaml``, keys ``studio.…``).

In: a language code (``nl`` or ``en``, from the ``studio_lang`` cookie; Dutch by default), a key
and its named fields.
Out: ``Texts`` (called as ``t("studio.key", name=…)`` in templates and routes), the language a
request asks for, and the switch of the library's own messages (problems, ``Problem.format``) to
that language.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.i18n import LANGUAGES, choose_language, load_table

DEFAULT_LANGUAGE = "nl"
LANGUAGE_COOKIE = "studio_lang"


@dataclass(frozen=True)
class Texts:
    """The interface texts of one language; call it with a key and fields."""

    language: str

    def __call__(self, key: str, **fields: object) -> str:
        for language in (self.language, "en"):
            text = load_table(language).get(key)
            if text is not None:
                return text.format(**fields) if fields else text
        return key

    @property
    def other(self) -> str:
        """The language the switch offers."""
        return "en" if self.language == "nl" else "nl"


def pick_language(cookie: str | None) -> str:
    """The language a request asks for: its cookie when valid, else Dutch."""
    value = (cookie or "").strip().lower()
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def texts_for(language: str) -> Texts:
    """The texts of ``language``; the library's messages follow it too (one user per studio)."""
    choose_language(language)
    return Texts(language)
