"""The libyaml half of :mod:`dxplan.fastyaml`: PyYAML's C parser with ruamel.yaml's YAML 1.2 rules.

Imported on first use by :mod:`dxplan.fastyaml` (a command answered from the results cache
never loads PyYAML). :func:`data` and :func:`positioned` raise :class:`NotExact` for every
document whose reading by libyaml might differ from ruamel.yaml's (see :mod:`dxplan.fastyaml`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.reader import Reader
from ruamel.yaml.resolver import implicit_resolvers as _ruamel_resolvers

__all__ = ["NotExact", "data", "positioned"]

_NON_PRINTABLE = re.compile(Reader.NON_PRINTABLE.pattern)
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]+")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TAG = "tag:yaml.org,2002:"


class NotExact(Exception):
    """libyaml's reading might differ from ruamel.yaml's: read this document with ruamel.yaml."""


class _Resolver(yaml.resolver.BaseResolver):
    """ruamel.yaml's YAML 1.2 implicit types (bool, float, int, merge, null, timestamp, value).

    :meth:`resolve` is PyYAML's, without the path resolvers (none are declared) and
    without their bookkeeping on every node, which cost a third of the parse.
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


for _versions, _tag, _regexp, _first in _ruamel_resolvers:
    if (1, 2) in _versions:
        _Resolver.add_implicit_resolver(_tag, re.compile(_regexp.pattern, _regexp.flags), _first)
assert None not in _Resolver.yaml_implicit_resolvers  # no resolver for every first character


def _str(loader: Any, node: yaml.ScalarNode) -> str:
    return node.value


def _null(loader: Any, node: yaml.ScalarNode) -> None:
    return None


def _bool(loader: Any, node: yaml.ScalarNode) -> bool:
    return node.value.lower() == "true"


def _int(loader: Any, node: yaml.ScalarNode) -> int:
    if _PLAIN_INT.fullmatch(node.value) is None:
        raise NotExact(node.value)
    return int(node.value)


def _float(loader: Any, node: yaml.ScalarNode) -> float:
    if _PLAIN_FLOAT.fullmatch(node.value) is None:
        raise NotExact(node.value)
    return float(node.value)


def _timestamp(loader: Any, node: yaml.ScalarNode) -> dt.date:
    if _PLAIN_DATE.fullmatch(node.value) is None:
        raise NotExact(node.value)
    try:
        return dt.date.fromisoformat(node.value)
    except ValueError:
        raise NotExact(node.value) from None


def _undefined(loader: Any, node: yaml.Node) -> Any:
    raise NotExact(str(node.tag))


class _Constructor(yaml.constructor.SafeConstructor):
    """PyYAML's safe constructor, limited to the core types read the YAML 1.2 way; repeated keys are not exact."""

    yaml_constructors: dict[Any, Any] = {}

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        for key_node, _ in node.value:
            if key_node.tag == _TAG + "merge":
                raise NotExact("merge key")

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            raise NotExact("repeated key")
        return mapping


for _name, _fn in {
    "str": _str,
    "null": _null,
    "bool": _bool,
    "int": _int,
    "float": _float,
    "timestamp": _timestamp,
    "map": yaml.constructor.SafeConstructor.construct_yaml_map,
    "seq": yaml.constructor.SafeConstructor.construct_yaml_seq,
}.items():
    _Constructor.add_constructor(_TAG + _name, _fn)
_Constructor.add_constructor(None, _undefined)


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: everything goes to ruamel.yaml
    CParser = None


if CParser is not None:

    class _Loader(CParser, _Constructor, _Resolver):  # type: ignore[misc,valid-type]
        """libyaml's parser and composer with :class:`_Constructor` and :class:`_Resolver`."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Constructor.__init__(self)
            _Resolver.__init__(self)


def _precheck(text: str) -> None:
    if CParser is None:
        raise NotExact("no libyaml")
    if _NON_PRINTABLE.search(text) is not None:
        raise NotExact("a character ruamel.yaml's reader refuses")
    if text.startswith("%") or "\n%" in text:
        raise NotExact("a directive")


def data(text: str) -> Any:
    """The plain data of ``text`` read by libyaml; raises :class:`NotExact` when ruamel.yaml must read it."""
    _precheck(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _plain(node)
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        raise NotExact(str(exc)) from None
    finally:
        loader.dispose()


_SCALARS = {_TAG + "str": None, _TAG + "null": _null, _TAG + "bool": _bool, _TAG + "int": _int, _TAG + "float": _float, _TAG + "timestamp": _timestamp}
_MAP, _SEQ = _TAG + "map", _TAG + "seq"


def _plain(node: yaml.Node) -> Any:
    """The plain data of a composed node: what :class:`_Constructor` builds, in one direct walk (twice as fast)."""
    cls = node.__class__
    if cls is yaml.ScalarNode:
        try:
            fn = _SCALARS[node.tag]
        except KeyError:
            raise NotExact(str(node.tag)) from None
        return node.value if fn is None else fn(None, node)
    if cls is yaml.MappingNode and node.tag == _MAP:
        pairs = node.value
        out = {}
        for key_node, value_node in pairs:
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag == _TAG + "merge":
                raise NotExact("a key that is not a plain scalar")
            out[_plain(key_node)] = _plain(value_node)
        if len(out) != len(pairs):
            raise NotExact("repeated key")
        return out
    if cls is yaml.SequenceNode and node.tag == _SEQ:
        return [_plain(child) for child in node.value]
    raise NotExact(str(node.tag))


def positioned(text: str) -> Any:
    """``text`` as round-trip types carrying positions, from libyaml's nodes; raises :class:`NotExact` when ruamel.yaml must read it."""
    _precheck(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _positioned(loader, node, set())
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        raise NotExact(str(exc)) from None
    finally:
        loader.dispose()


def _positioned(loader: _Loader, node: yaml.Node, seen: set[int]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.start_mark.index == node.end_mark.index:  # an empty value: ruamel.yaml places it at the next token
            raise NotExact("empty scalar")
        return loader.construct_object(node)
    if id(node) in seen:  # an alias of an enclosing node (a recursive document)
        raise NotExact("recursive alias")
    seen = seen | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _TAG + "seq":
            raise NotExact(str(node.tag))
        seq = CommentedSeq()
        seq._yaml_set_line_col(node.start_mark.line, node.start_mark.column)
        for i, child in enumerate(node.value):
            seq.append(_positioned(loader, child, seen))
            seq._yaml_set_idx_line_col(i, [child.start_mark.line, child.start_mark.column])
        return seq
    if node.tag != _TAG + "map":
        raise NotExact(str(node.tag))
    cmap = CommentedMap()
    cmap._yaml_set_line_col(node.start_mark.line, node.start_mark.column)
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
            raise NotExact("a key that is not a plain scalar")
        key = _positioned(loader, key_node, seen)
        if key in cmap:
            raise NotExact("repeated key")
        cmap[key] = _positioned(loader, value_node, seen)
        cmap._yaml_set_kv_line_col(
            key, [key_node.start_mark.line, key_node.start_mark.column, value_node.start_mark.line, value_node.start_mark.column]
        )
    return cmap
