"""dxplan: municipal DX plans as YAML in git — lint, status counts, scoring, review diffs and reports.

The package is layered; each layer imports only the ones before it (``tests/test_layers.py`` keeps
this, from :data:`LAYERS`):

ground modules (``i18n``, ``problems``, ``fiscal``, ``numbers``, ``yamlread``, ``yamlfast``) → ``model`` → ``rules`` → ``files``
→ ``score`` → ``status`` → ``output`` → ``compare`` → ``lint`` → ``diff`` → ``report`` → ``opendata`` → ``site`` → ``sheets`` → ``scaffold``
→ ``cli``.
"""

from pathlib import Path

__version__ = "0.1.0"

#: The layers from the ground up: a module may import its own layer and those before it, never one
#: after it. Each name is a top-level module or package of ``dxplan``; ``dxplan`` itself (this file)
#: belongs to the ground floor.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("i18n", "problems", "fiscal", "numbers", "yamlread", "yamlfast"),
    ("model",),
    ("rules",),
    ("files",),
    ("score",),
    ("status",),
    ("output",),
    ("compare",),
    ("lint",),
    ("diff",),
    ("report",),
    ("opendata",),
    ("site",),
    ("sheets",),
    ("scaffold",),
    ("cli",),
)


def shipped(name: str) -> Path:
    """The folder of data that ships with dxplan: ``templates``, ``schemas`` or ``frames`` (the national frame).

    ``dxplan/<name>`` inside an installed wheel (package data built from the repository's folder),
    else the repository's ``<name>/`` (a source checkout or an editable install). The folder may not
    exist (a broken install); callers report that when they read from it.
    """
    here = Path(__file__).resolve().parent
    packaged = here / name
    return packaged if packaged.is_dir() else here.parents[1] / name
