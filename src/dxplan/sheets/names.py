"""File names built from plan data (``dxplan export -d``'s default ``<plan>-<課>.xlsx``), safe on every system.

A plan id or department name is the source's words and may hold anything. :func:`safe_part` makes
one part of a file name safe:

- path separators (``/``, ``\\``), the characters Windows refuses (``: * ? " < > |``) and control
  characters become ``_``;
- leading dots, dashes and spaces go (no hidden file, nothing that reads as an option: ``.hidden``
  → ``hidden``, ``-rf`` → ``rf``), and so do trailing dots and spaces (Windows drops them);
- a name Windows reserves for a device (``CON``, ``PRN``, ``AUX``, ``NUL``, ``COM1``–``COM9``,
  ``LPT1``–``LPT9``, any case, with or without an extension) gets ``_`` appended (``CON`` → ``CON_``);
- the part is cut to :data:`MAX_PART_CHARS` characters; a part left empty becomes ``_``.

:func:`export_name` joins the plan's and the department's parts (each made safe) with ``-``.
"""

from __future__ import annotations

import re

#: The longest a part of a name may be, in characters (file systems allow 255 bytes; a Japanese
#: character takes 3 in UTF-8).
MAX_PART_CHARS = 60

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³])(\..*)?$", re.IGNORECASE)


def safe_part(text: str) -> str:
    """``text`` made safe as one part of a file name (see the module docstring); never empty."""
    name = _UNSAFE.sub("_", text)[:MAX_PART_CHARS]
    name = name.lstrip(". -\u3000").rstrip(". \u3000")
    if _RESERVED.match(name):
        name += "_"
    return name or "_"


def export_name(plan_id: str, department: str | None, suffix: str) -> str:
    """The default output name of an export: ``<plan>-<department>.<suffix>`` (``<plan>.<suffix>`` without one), each part made safe.

    ``export_name("kama", "CON", "xlsx")`` → ``"kama-CON_.xlsx"``; ``export_name("kama", "../x", "xlsx")`` → ``"kama-_x.xlsx"``.
    """
    parts = [safe_part(plan_id)] + ([safe_part(department)] if department is not None else [])
    return f"{'-'.join(parts)}.{suffix}"
