"""Where dxplan keeps what it caches, and the fingerprint of the dxplan that wrote it (no SQLite, no pickle: cheap to import).

:mod:`dxplan.files.result_cache` names its database by :func:`fingerprint`; the kept root help page
(:mod:`dxplan.cli.help_cache`) is keyed by it too, and looks for it without importing the database's modules.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["FORMAT", "cache_dir", "fingerprint"]

FORMAT = "4"
"""The layout of the results cache's database and its values; part of its name (through :func:`fingerprint`).

3: plan results carry a stat signature (column ``stat``); file data in a rowid table with 8 KB pages.
4: plan views (table ``views``: what ``status``, ``score`` and ``compare`` computed for a plan)."""


def cache_dir() -> Path | None:
    """The cache folder, or None when ``DXPLAN_NO_CACHE`` is set."""
    if os.environ.get("DXPLAN_NO_CACHE"):
        return None
    base = os.environ.get("DXPLAN_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "dxplan" if xdg else Path.home() / ".cache" / "dxplan"


def fingerprint() -> str:
    """A hash of what decides results: dxplan's version, its JSON Schemas, the national frame and its code and catalogues.

    The code is taken by name, size and modification time (``*.py`` and ``*.mo`` under the
    package), the schemas and the national frame (``frames/*.yaml``) by content. 16 hex digits.
    """
    from dxplan import __version__, shipped

    package = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{FORMAT}\0{__version__}\0".encode())
    schemas = shipped("schemas")
    for name in ("plan.schema.json", "action.schema.json"):
        try:
            h.update(name.encode() + b"\0" + (schemas / name).read_bytes() + b"\0")
        except OSError:
            h.update(name.encode() + b"\0missing\0")
    frames = shipped("frames")
    try:
        for frame in sorted(frames.glob("*.yaml")):
            h.update(frame.name.encode() + b"\0" + frame.read_bytes() + b"\0")
    except OSError:
        h.update(b"frames\0missing\0")
    for folder, _, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith((".py", ".mo")):
                st = os.stat(os.path.join(folder, name))
                h.update(f"{os.path.relpath(os.path.join(folder, name), package)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()
