"""The national frame: the 重点取組事項 of each version of 総務省's 自治体DX推進計画, as data shipped with dxplan.

The data is ``frames/national.yaml`` (:func:`dxplan.shipped`), transcribed from the project's research
note with its sources; :func:`national_frame` reads and validates it once. Ids and version keys are
ours (what a plan's ``national_frame`` and an action's ``serves`` refer to); ``name`` is the item's
name as the cited source writes it; ``annotation`` fields are our notes on what is uncertain.

An item id names "the same item" across versions where the research note says so (the
マイナンバーカード item renamed in 第2.2版 keeps its id); an id absent from a version (``eltax`` before
第2.3版, ``online-procedures`` after 第2.0版) is an item of other versions only.

Raises :class:`FrameError` when the shipped file is missing or does not validate (a broken install).
"""

from __future__ import annotations

from functools import cache

from pydantic import Field, ValidationError

from dxplan import shipped
from dxplan.i18n import N_, UserError
from dxplan.yamlread import YamlFault, parse

from .base import Strict, annotation, computed

FRAME_FILE = "national.yaml"
"""The file name of the national frame inside the shipped ``frames`` folder."""


class FrameError(UserError):
    """The shipped national frame could not be read or does not validate (a broken install; exit 2).
    The wording is :class:`dxplan.i18n.UserError`'s: the file, the reason, and to reinstall dxplan."""


class FrameItem(Strict):
    """One 重点取組事項 of one version: our id, its number in the version's list, its name as the source writes it."""

    id: str = computed(..., description="our key for the item, stable across versions where the note says it is the same item")
    number: int = Field(ge=1, description="its position in the version's list (1-based)")
    name: str = Field(min_length=1, description="the item's name, verbatim from the cited source")
    annotation: str | None = annotation(description="our note on an uncertain name or position")


class FrameVersion(Strict):
    """One version of the national plan: its key (``"2.3"``), name (第2.3版), date as known (``2024-02-05``,
    ``2020-12`` or ``2024``), section of the list, source address and its items in order."""

    version: str = computed(..., description="our key for the version, what a plan's national_frame names")
    name: str
    date: str = Field(description="the date as precisely as the source gives it: YYYY, YYYY-MM or YYYY-MM-DD")
    section: str | None = None
    source: str = annotation(..., description="where the version and its items were read")
    annotation: str | None = annotation(description="our note on what is uncertain")
    items: list[FrameItem]

    def item(self, item_id: str) -> FrameItem | None:
        """The item ``item_id`` of this version, or None."""
        return next((i for i in self.items if i.id == item_id), None)


class NationalFrame(Strict):
    """The national plan and its versions, oldest first."""

    title: str
    publisher: str
    index_url: str = annotation(...)
    annotation: str | None = annotation()
    versions: list[FrameVersion]

    def version(self, key: str) -> FrameVersion | None:
        """The version keyed ``key`` (``"2.3"``), or None."""
        return next((v for v in self.versions if v.version == key), None)

    @property
    def version_keys(self) -> list[str]:
        """Every version key, oldest first."""
        return [v.version for v in self.versions]

    @property
    def item_ids(self) -> list[str]:
        """Every item id of any version, each once, in order of first appearance."""
        return list(dict.fromkeys(i.id for v in self.versions for i in v.items))

    def versions_of(self, item_id: str) -> list[str]:
        """The keys of the versions that list ``item_id`` (empty for an unknown id)."""
        return [v.version for v in self.versions if v.item(item_id) is not None]


@cache
def national_frame() -> NationalFrame:
    """The shipped national frame, read once. Raises :class:`FrameError` when it is missing or invalid."""
    path = shipped("frames") / FRAME_FILE
    try:
        data = parse(path.read_text(encoding="utf-8")).data
        return NationalFrame.model_validate(data)
    except (OSError, UnicodeDecodeError, YamlFault, ValidationError) as exc:
        raise FrameError(N_("the national frame shipped with dxplan cannot be read ({reason}); reinstall dxplan"),
                         {"reason": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}, path=path) from exc
