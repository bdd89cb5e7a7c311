"""PDF/X-1a:2001 for the print-shop files: the output intent and the identification keys.

In: the ``--output-intent`` value: a characterization registered with the ICC that dialoogkit
separates for by name (``FOGRA39``, the default, or ``FOGRA29``: the names of ``REGISTERED``, each
with a profile built from openly licensed measurement data, see ``generator.icc``; case, spaces
and underscores do not matter) or the path of a CMYK output profile (``.icc``/``.icm``).
Out: ``parse_output_intent`` gives an ``OutputIntent`` (identifier, condition, info, registry,
the profile's bytes when it is a file, and the ``separation``: the ``icc.Condition`` every colour
of the file is converted for) or a ``UsageProblem`` that lists the names, refuses a registered
name without open data (``WITHOUT_DATA``: FOGRA51 and others) asking for the print shop's .icc
file, or says what is wrong with the profile (not an ICC profile, not CMYK, not an output profile,
ICC version 4 where PDF/X-1a:2001 takes version 2, not usable for conversion).
``output.document`` writes the intent and the PDF/X keys into the files.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.generator.icc import SHIPPED, Condition, check_profile, condition_key, profile_condition, shipped_condition
from dialoogkit.i18n import say

if TYPE_CHECKING:
    from dialoogkit.cards.paths import Gate

PDFX_VERSION = "PDF/X-1:2001"
PDFX_CONFORMANCE = "PDF/X-1a:2001"
ICC_REGISTRY = "http://www.color.org"
DEFAULT_INTENT = "FOGRA39"
MAX_PROFILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class OutputIntent:
    """The printing condition a PDF/X file is made for: a registered characterization (``registry``
    set) or a custom one described by its embedded ``profile``; ``separation`` is the condition
    its colours are converted for."""

    identifier: str
    condition: str
    info: str
    registry: str = ""
    profile: bytes = b""
    separation: Condition | None = None


def _registered(identifier: str, condition: str, info: str) -> OutputIntent:
    separation = shipped_condition(identifier) if identifier in SHIPPED else None
    return OutputIntent(identifier, condition, info, ICC_REGISTRY, separation=separation)


# Reference names from the ICC Characterization Data Registry (color.org), exactly as registered.
_ALL = tuple(_registered(*entry) for entry in (
    ("FOGRA39", "Offset commercial and specialty printing according to ISO 12647-2:2004/Amd 1, paper type 1 or 2 "
     "(gloss or matt coated), screen ruling 60/cm", "Coated FOGRA39 (ISO 12647-2:2004)"),
    ("FOGRA29", "Offset commercial and specialty printing according to ISO 12647-2:2004/Amd 1, paper type 4 "
     "(uncoated white), screen ruling 60/cm", "Uncoated FOGRA29 (ISO 12647-2:2004)"),
    ("FOGRA47", "Offset printing according to ISO 12647-2:2004/Amd 1, paper type 5 (uncoated white), "
     "screen ruling 60/cm", "PSO Uncoated ISO12647 (FOGRA47)"),
    ("FOGRA51", "Offset printing according to ISO 12647-2:2013, premium coated paper (PC1), measured M1",
     "PSO Coated v3 (FOGRA51)"),
    ("FOGRA52", "Offset printing according to ISO 12647-2:2013, wood-free uncoated paper (PC5), measured M1",
     "PSO Uncoated v3 (FOGRA52)"),
    ("CGATS TR 001", "SWOP publication printing in the USA, grade 5 paper", "U.S. Web Coated (SWOP)"),
    ("CGATS TR 006", "Commercial offset lithography in the USA, grade 1 coated paper (GRACoL)", "Coated GRACoL 2006"),
    ("CGATS21_CRPC5", "CGATS.21-2 characterized reference printing condition 5: publication printing on grade 3 "
     "coated paper (SWOP 2013)", "SWOP2013C3 (CRPC5)"),
    ("CGATS21_CRPC6", "CGATS.21-2 characterized reference printing condition 6: commercial printing on grade 1 "
     "premium coated paper (GRACoL 2013)", "GRACoL2013 (CRPC6)"),
    ("JC200103", "Japan Color 2001 Coated: sheet-fed offset on coated paper", "Japan Color 2001 Coated"),
))
# Offered by name: the conditions dialoogkit separates for with a profile of its own.
REGISTERED: dict[str, OutputIntent] = {i.identifier: i for i in _ALL if i.separation is not None}
# Registered, but without openly licensed data to build a profile from: only with the shop's .icc.
WITHOUT_DATA: dict[str, OutputIntent] = {i.identifier: i for i in _ALL if i.separation is None}


def parse_output_intent(text: str, gate: Gate | None = None) -> OutputIntent:
    """The output intent named by ``text`` (see module docstring). A profile's path is the user's
    own on the command line; where ``gate`` keeps a workspace (the studio, a team server) it is
    opened through the gate from the workspace's top folder, so nothing outside it is read."""
    wanted = condition_key(text)
    for identifier, intent in REGISTERED.items():
        if condition_key(identifier) == wanted:
            return intent
    for identifier, intent in WITHOUT_DATA.items():
        if condition_key(identifier) == wanted:
            raise UsageProblem(say("pdfx.no_open_data", name=identifier, info=intent.info,
                                   names=", ".join(REGISTERED)))
    if Path(text).suffix.lower() in (".icc", ".icm") or "/" in text or "\\" in text:
        return _profile_intent(_profile_path(text, gate))
    raise UsageProblem(say("pdfx.unknown_intent", text=quoted(text, 60), names=", ".join(REGISTERED)))


def _profile_path(text: str, gate: Gate | None) -> Path:
    """Where the profile ``text`` names is (see ``parse_output_intent``)."""
    if gate is None or gate.root is None:
        return Path(text)
    from dialoogkit.cards.paths import PathRefused

    try:
        return gate.resolve(text, gate.root / "-")
    except PathRefused as exc:
        if exc.kind in ("outside", "link"):
            raise UsageProblem(say("pdfx.outside_workspace", path=quoted(text, 60))) from None
        raise UsageProblem(say("pdfx.profile_unreadable", path=quoted(text, 60), reason=exc.reason, fix=exc.fix)) from None


def _profile_intent(path: Path) -> OutputIntent:
    """An output intent with the profile at ``path`` embedded, after checking it is a version 2
    CMYK output profile that littleCMS can convert through; a profile made from registered data
    keeps its registered name. Colours are separated through this profile."""
    from dialoogkit.safe_read import Unreadable, read_regular

    shown = quoted(path, 120)
    try:
        data = read_regular(path, MAX_PROFILE_BYTES, "profile")
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
    try:
        check_profile(data)
    except Exception:  # littleCMS refuses a damaged or unusual table
        raise UsageProblem(say("pdfx.not_convertible", path=shown)) from None
    description = _text_tag(data, b"desc") or path.stem
    target = _text_tag(data, b"targ").removeprefix("ICCHDAT").strip()
    known = next((i for i in _ALL if condition_key(i.identifier) == condition_key(target)), None) if target else None
    separation = profile_condition(data, path.name, known.identifier if known else "")
    if known:
        return OutputIntent(known.identifier, known.condition, description, ICC_REGISTRY, data, separation)
    return OutputIntent("Custom", description, description, "", data, separation)


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
