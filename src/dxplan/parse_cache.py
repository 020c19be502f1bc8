"""A content-addressed cache of parsed YAML data, for commands that only need the data.

Parsing is the largest cost of ``dxplan status`` on a plan of 50 files; the data of
an unchanged file is the same every time. Entries are keyed by the SHA-256 of the
file's text, so an edited file can never hit an old entry; the cached data is
still validated by the models on every run, exactly like freshly parsed data.
Dates are stored tagged (``{"__date__": "2025-02-10"}``) so that a date stays a
date and a string stays a string.

Location: ``$DXPLAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/dxplan``, else
``~/.cache/dxplan``. ``DXPLAN_NO_CACHE=1`` turns it off. The cache is an
optimisation only: any error reading or writing it is ignored, and entries are
written atomically (temporary file + rename).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

VERSION = "2"  # 2: data from dxplan.yamlread (bounded reader); the key also names the limits


def _dir() -> Path | None:
    if os.environ.get("DXPLAN_NO_CACHE"):
        return None
    base = os.environ.get("DXPLAN_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "dxplan" if xdg else Path.home() / ".cache" / "dxplan"


def _key(text: str, salt: str = "") -> str:
    return hashlib.sha256(f"{VERSION}\0{salt}\0{text}".encode("utf-8")).hexdigest()


def _encode(obj: Any) -> Any:
    if isinstance(obj, dt.datetime):
        raise TypeError("datetime values are not cached")
    if isinstance(obj, dt.date):
        return {"__date__": obj.isoformat()}
    raise TypeError(f"cannot cache {type(obj).__name__}")


def _decode(obj: dict) -> Any:
    if len(obj) == 1 and "__date__" in obj:
        return dt.date.fromisoformat(obj["__date__"])
    return obj


def get(text: str, salt: str = "") -> Any | None:
    """The cached data for ``text`` (a YAML document) read under ``salt`` (the reader's limits), or None."""
    folder = _dir()
    if folder is None:
        return None
    try:
        raw = (folder / f"{_key(text, salt)}.json").read_text(encoding="utf-8")
        return json.loads(raw, object_hook=_decode)
    except (OSError, ValueError, RecursionError):
        return None


def put(text: str, data: Any, salt: str = "") -> None:
    """Store the parsed ``data`` of ``text`` read under ``salt``; silently skipped when it cannot be stored."""
    folder = _dir()
    if folder is None:
        return
    try:
        payload = json.dumps(data, default=_encode, ensure_ascii=False)
        if json.loads(payload, object_hook=_decode) != data:  # e.g. non-string keys: do not cache
            return
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
        os.replace(tmp, folder / f"{_key(text, salt)}.json")
    except (OSError, TypeError, ValueError, RecursionError):
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, UnboundLocalError, NameError):
            pass
