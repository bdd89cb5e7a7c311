"""PDF/X-1a:2001 for the print-shop files: the output intent and the identification keys.

In: the ``--output-intent`` value: a characterization registered with the ICC (``FOGRA39``, the
default, or another name of ``REGISTERED``; case, spaces and underscores do not matter) or the
path of a CMYK output profile (``.icc``/``.icm``).
Out: ``parse_output_intent`` gives an ``OutputIntent`` (identifier, condition, info, registry,
and the profile's bytes when it is a file) or a ``UsageProblem`` that lists the registered names,
or says what is wrong with the profile (not an ICC profile, not CMYK, not an output profile, ICC
version 4 where PDF/X-1a:2001 takes version 2). ``output.document`` writes the intent and the
PDF/X keys into the files.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say

PDFX_VERSION = "PDF/X-1:2001"
PDFX_CONFORMANCE = "PDF/X-1a:2001"
ICC_REGISTRY = "http://www.color.org"
DEFAULT_INTENT = "FOGRA39"
MAX_PROFILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class OutputIntent:
    """The printing condition a PDF/X file is made for: a registered characterization (``registry``
    set) or a custom one described by its embedded ``profile``."""

    identifier: str
    condition: str
    info: str
    registry: str = ""
    profile: bytes = b""


def _registered(identifier: str, condition: str, info: str) -> OutputIntent:
    return OutputIntent(identifier, condition, info, ICC_REGISTRY)


# Reference names from the ICC Characterization Data Registry (color.org), exactly as registered.
REGISTERED: dict[str, OutputIntent] = {intent.identifier: intent for intent in (
    _registered("FOGRA39", "Offset commercial and specialty printing according to ISO 12647-2:2004/Amd 1, "
                "paper type 1 or 2 (gloss or matt coated), screen ruling 60/cm", "Coated FOGRA39 (ISO 12647-2:2004)"),
    _registered("FOGRA47", "Offset printing according to ISO 12647-2:2004/Amd 1, paper type 5 (uncoated white), "
                "screen ruling 60/cm", "PSO Uncoated ISO12647 (FOGRA47)"),
    _registered("FOGRA51", "Offset printing according to ISO 12647-2:2013, premium coated paper (PC1), "
                "measured M1", "PSO Coated v3 (FOGRA51)"),
    _registered("FOGRA52", "Offset printing according to ISO 12647-2:2013, wood-free uncoated paper (PC5), "
                "measured M1", "PSO Uncoated v3 (FOGRA52)"),
    _registered("CGATS TR 001", "SWOP publication printing in the USA, grade 5 paper", "U.S. Web Coated (SWOP)"),
    _registered("CGATS TR 006", "Commercial offset lithography in the USA, grade 1 coated paper (GRACoL)",
                "Coated GRACoL 2006"),
    _registered("CGATS21_CRPC5", "CGATS.21-2 characterized reference printing condition 5: "
                "publication printing on grade 3 coated paper (SWOP 2013)", "SWOP2013C3 (CRPC5)"),
    _registered("CGATS21_CRPC6", "CGATS.21-2 characterized reference printing condition 6: "
                "commercial printing on grade 1 premium coated paper (GRACoL 2013)", "GRACoL2013 (CRPC6)"),
    _registered("JC200103", "Japan Color 2001 Coated: sheet-fed offset on coated paper", "Japan Color 2001 Coated"),
)}


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]", "", text).upper()


def parse_output_intent(text: str) -> OutputIntent:
    """The output intent named by ``text`` (see module docstring)."""
    wanted = _key(text)
    for identifier, intent in REGISTERED.items():
        if _key(identifier) == wanted:
            return intent
    if Path(text).suffix.lower() in (".icc", ".icm") or "/" in text or "\\" in text:
        return _profile_intent(Path(text))
    raise UsageProblem(say("pdfx.unknown_intent", text=quoted(text, 60), names=", ".join(REGISTERED)))


def _profile_intent(path: Path) -> OutputIntent:
    """An output intent with the profile at ``path`` embedded, after checking it is a version 2
    CMYK output profile; a profile made from registered data keeps its registered name."""
    from dialoogkit.safe_read import Unreadable, read_regular

    shown = quoted(path, 120)
    try:
        data = read_regular(path, MAX_PROFILE_BYTES, "ICC profile")
    except Unreadable as exc:
        raise UsageProblem(say("pdfx.profile_unreadable", path=shown, reason=exc.reason, fix=exc.fix)) from None
    if len(data) < 132 or data[36:40] != b"acsp" or struct.unpack(">I", data[:4])[0] != len(data):
        raise UsageProblem(say("pdfx.not_a_profile", path=shown))
    space, device = data[16:20].decode("latin-1").strip(), data[12:16].decode("latin-1")
    if space != "CMYK":
        raise UsageProblem(say("pdfx.not_cmyk", path=shown, space=quoted(space, 8)))
    if device != "prtr":
        raise UsageProblem(say("pdfx.not_output", path=shown, kind=quoted(device, 8)))
    if data[8] != 2:
        raise UsageProblem(say("pdfx.not_version_2", path=shown, version=data[8]))
    description = _text_tag(data, b"desc") or path.stem
    target = _text_tag(data, b"targ")
    registered = REGISTERED.get(target.removeprefix("ICCHDAT").strip())
    if registered:
        return OutputIntent(registered.identifier, registered.condition, description, ICC_REGISTRY, data)
    return OutputIntent("Custom", description, description, "", data)


def _text_tag(data: bytes, signature: bytes) -> str:
    """The text of an ICC version 2 ``desc`` or ``text`` tag, or ``""`` when it is missing."""
    count = struct.unpack(">I", data[128:132])[0]
    for index in range(min(count, 200)):
        entry = data[132 + 12 * index: 144 + 12 * index]
        if len(entry) < 12:
            break
        sig, offset, size = struct.unpack(">4sII", entry)
        if sig != signature:
            continue
        body = data[offset: offset + size]
        if body[:4] == b"desc" and len(body) >= 12:
            length = struct.unpack(">I", body[8:12])[0]
            raw = body[12: 12 + length]
        elif body[:4] == b"text":
            raw = body[8:]
        else:
            return ""
        return raw.split(b"\x00", 1)[0].decode("latin-1").strip()
    return ""
