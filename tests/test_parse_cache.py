"""The parse cache: same data as a fresh parse, keyed by content, never trusted blindly."""

from __future__ import annotations

import datetime as dt

from dxplan import parse_cache
from dxplan.load import load_plan

from conftest import PLANS


def test_round_trip_keeps_dates_and_strings_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("DXPLAN_CACHE_DIR", str(tmp_path))
    data = {"evaluation_date": dt.date(2025, 2, 10), "note": "2025-02-10", "list": [1, 2.5, None, True], "m": {"__date__": "x", "y": 1}}
    parse_cache.put("text A", data)
    assert parse_cache.get("text A") == data
    assert isinstance(parse_cache.get("text A")["note"], str)
    assert parse_cache.get("text A ") is None  # another text, another key


def test_unusable_entries_are_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("DXPLAN_CACHE_DIR", str(tmp_path))
    parse_cache.put("t", {"a": 1})
    (entry,) = tmp_path.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert parse_cache.get("t") is None
    parse_cache.put("k", {1: "non-string key"})  # JSON would change it: not cached
    assert parse_cache.get("k") is None
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")
    parse_cache.put("u", {"a": 1})
    assert parse_cache.get("u") is None


def test_cached_load_equals_fresh_load(tmp_path, monkeypatch):
    monkeypatch.setenv("DXPLAN_CACHE_DIR", str(tmp_path))
    first = load_plan(PLANS / "kama", positions=False)   # fills the cache
    assert len(list(tmp_path.glob("*.json"))) == 51
    second = load_plan(PLANS / "kama", positions=False)  # served from it
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")
    fresh = load_plan(PLANS / "kama", positions=True)
    dump = lambda lp: (lp.plan.model_dump(), [la.action.model_dump() for la in lp.actions])
    assert dump(first) == dump(second) == dump(fresh)
