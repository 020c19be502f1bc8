"""The one YAML reader's fast path: plain data without positions, for the texts every plan is made of.

:func:`dxplan.yamlread.parse` without positions calls :func:`build` first. It reads the same
event stream (libyaml through ruamel.yaml.clib, else ruamel.yaml's pure parser) and types scalars
by the same function (``dxplan.yamlread._plain``, with its memo), but knows only the common
case: mappings and sequences without anchors or tags, plain and quoted scalars without anchors or
tags, keys that are scalars, each written once, one document within the depth limit. So it keeps
no position, no frame objects and no node counts (those serve aliases only).

At the first event outside that case — an anchor, an alias, a tag (also ``!`` and the standard
ones), a merge key ``<<``, a key that repeats or is a mapping or a list, a second document, a
container at the depth limit — and at any fault of the parser or of a scalar, it gives up
(:data:`FALLBACK`) and :func:`dxplan.yamlread.parse` reads the text again with the full reader,
which then decides, raises and positions as it always does. Everything the fast path returns is
what the full reader returns for the same text: equal data of the same types (``tests/test_yamlfast.py``
checks this over the bundled plans and the fuzzer's hostile texts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["FALLBACK", "build"]

FALLBACK: Any = object()
"""What :func:`build` returns for a text outside its case: read it with the full reader."""

_NO_KEY = object()
_MISSING = object()


def build(get_event: Callable[[], Any], depth: int, plain: Callable[[str, Any], Any], memo: dict[str, Any]) -> Any:
    """The plain data of a YAML text (None for an empty document), or :data:`FALLBACK`.

    ``get_event``: the text's parser's ``get_event`` (:func:`dxplan.yamlread._parser`); ``depth``: the
    nesting limit (:attr:`dxplan.yamlread.Limits.depth`; line lengths are checked before, aliases fall
    back); ``plain``: the full reader's typing of a plain scalar (text, parser mark), ``memo`` the values
    it remembered by text. Never raises for bad input: a parser error or a refused scalar gives
    :data:`FALLBACK`, for the full reader to report.
    """
    from ruamel.yaml import events as ev

    try:
        return _build(get_event, depth, plain, memo, ev)
    except Exception:  # noqa: BLE001 - a parser error (YAMLError), a YamlFault from a scalar, an unhashable key, memory: the full reader decides
        return FALLBACK


def _build(get_event: Callable[[], Any], depth: int, plain: Callable[[str, Any], Any], memo: dict[str, Any], ev: Any) -> Any:
    scalar_event, map_start, seq_start = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
    map_end, seq_end, doc_start, stream_end = ev.MappingEndEvent, ev.SequenceEndEvent, ev.DocumentStartEvent, ev.StreamEndEvent
    missing, no_key = _MISSING, _NO_KEY
    stack: list[tuple[Any, bool, Any]] = []  # the enclosing containers: (container, is a mapping, its pending key)
    cur: Any = None  # the open container (None before the root)
    in_map = False
    key: Any = no_key  # the open mapping's key waiting for its value
    root: Any = None
    done = False  # the root is read
    documents = 0
    while True:
        e = get_event()
        t = type(e)
        if t is scalar_event:
            if e.ctag is not None or e.anchor is not None:
                return FALLBACK
            value = e.value
            if e.implicit[0] if e.implicit else e.style is None:  # plain: typed by the core rules
                found = memo.get(value, missing)
                value = plain(value, e.start_mark) if found is missing else found
            if in_map:
                if key is no_key:
                    key = value
                    continue
                if key in cur or key == "<<":  # a repeated key or a merge key: the full reader's
                    return FALLBACK
                cur[key] = value
                key = no_key
            elif cur is not None:
                cur.append(value)
            elif done or documents != 1:
                return FALLBACK
            else:
                root, done = value, True
        elif t is map_start or t is seq_start:
            if e.ctag is not None or e.anchor is not None or len(stack) + 1 >= depth:
                return FALLBACK
            value = {} if t is map_start else []
            if in_map:
                if key is no_key or key in cur or key == "<<":  # a complex key, a repeated key, a merge
                    return FALLBACK
                cur[key] = value
                key = no_key
            elif cur is not None:
                cur.append(value)
            elif done or documents != 1:
                return FALLBACK
            else:
                root, done = value, True
            stack.append((cur, in_map, key))
            cur, in_map, key = value, t is map_start, no_key
        elif t is map_end or t is seq_end:
            if key is not no_key:
                return FALLBACK
            cur, in_map, key = stack.pop()
        elif t is doc_start:
            documents += 1
            if documents > 1:
                return FALLBACK
        elif t is stream_end:
            return root
        elif t is not ev.StreamStartEvent and t is not ev.DocumentEndEvent:  # an alias, an event not known here, or None
            return FALLBACK
