"""The fast YAML path: libyaml (PyYAML's C parser) reading exactly what ruamel.yaml reads.

ruamel.yaml's round-trip parser is dxplan's reference reading of a plan file (YAML 1.2,
duplicate keys refused, every node's line and column), but it is pure Python: about 6 ms
for an action file, 96 % of a cold ``dxplan lint``. libyaml parses the same file in about
0.2 ms. This module runs libyaml with ruamel.yaml's YAML 1.2 implicit-type rules (the
regular expressions are taken from :mod:`ruamel.yaml.resolver`, not copied), and hands
anything it cannot promise to read exactly as ruamel.yaml does back to ruamel.yaml:

- :func:`load_data` — plain data (dict, list, str, int, float, bool, None, date) of a
  document whose top level is a mapping. Raises ruamel.yaml's ``YAMLError`` exactly when
  ruamel.yaml's safe loader does (a duplicate key, a syntax error), because every doubtful
  case is read by ruamel.yaml itself.
- :func:`positioned_tree` — ruamel.yaml's round-trip types (``CommentedMap`` /
  ``CommentedSeq``) carrying the line and column of every key, value and item, as
  :meth:`dxplan.loaded.Document.position` walks them; built from libyaml's nodes, so a
  file with findings costs a C compose instead of a pure-Python round-trip parse.

What goes to ruamel.yaml (:class:`dxplan.fastyaml_c.NotExact`): a mapping with a repeated
key (ruamel.yaml words the error), a merge key ``<<``, an explicit tag other than the core
ones, anchors used as keys, a ``%`` directive (it may switch YAML versions), a character
ruamel.yaml's reader refuses, any libyaml error, and scalars whose YAML 1.2 meaning is
not the plain one (ints other than plain decimals, floats other than ``1.5``, timestamps
other than ``2025-02-10``, ``=``), and, for positions only, an empty value (ruamel.yaml
places it at the token after it, libyaml where it would have been). ``tests/test_fastyaml.py`` checks both paths give equal
data and equal positions on every bundled and generated plan file.
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["load_data", "positioned_tree"]


def _ruamel(fast: bool) -> Any:
    """ruamel.yaml's loader as :func:`dxplan.loaded.yaml_parser` makes it: safe (C) or round-trip, duplicate keys refused."""
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=False) if fast else YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def load_data(text: str) -> Any:
    """The plain data of YAML ``text`` as ruamel.yaml's safe loader reads it (YAML 1.2, duplicate keys refused).

    libyaml reads it when its reading is sure to be the same (see the module docstring);
    otherwise ruamel.yaml's C-accelerated safe loader does. Raises ruamel.yaml's
    ``YAMLError`` (e.g. ``DuplicateKeyError``) for a document ruamel.yaml refuses; the
    caller reads such a document with the round-trip parser to position the problem.
    """
    from . import fastyaml_c

    try:
        return fastyaml_c.data(text)
    except fastyaml_c.NotExact:
        return _ruamel(fast=True).load(text)


def positioned_tree(text: str) -> Any:
    """YAML ``text`` as ruamel.yaml round-trip types whose ``lc`` gives every key's, value's and item's position.

    Lines and columns are 0-based, as ruamel.yaml's. Built from libyaml's nodes when
    that is exact, else by ruamel.yaml's round-trip parser. Raises ruamel.yaml's
    ``YAMLError`` for a document ruamel.yaml refuses.
    """
    from . import fastyaml_c

    try:
        return fastyaml_c.positioned(text)
    except fastyaml_c.NotExact:
        return _ruamel(fast=False).load(io.StringIO(text))
