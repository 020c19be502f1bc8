"""A target text whose numbers do not include its numeric value (the text says 80 %, the value is 90).

Why: Reports show the text and scoring uses the value; when they disagree, the rate is computed against a target nobody wrote, or the text promises what the figure does not.

Fix: Correct the value (or the text, if the transcription was wrong) so that the number in the text is the value; 千/万/億 and 割 in the text are understood (4千万円 = 40,000 千円, 7割 = 70 %).

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    indicators:
      - id: K1
        name: 満足している人の割合
        unit: '%'
        targets:
          - {fiscal_year: 令和6年度, value: 80, text: 満足している人の割合：80%以上}
    sources: [{file: seed.txt, location: line 1}]

Failing (10:37)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    indicators:
      - id: K1
        name: 満足している人の割合
        unit: '%'
        targets:
          - {fiscal_year: 令和6年度, value: 90, text: 満足している人の割合：80%以上}
    sources: [{file: seed.txt, location: line 1}]
"""

import re
import unicodedata

from dxplan.i18n import N_
from . import Finding

ID = "target-number-mismatch"
SEVERITY = "warning"
MESSAGE = N_(
    "target text '{text}' does not contain its value {value}{unit}."
)

_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(千万|百万|千|万|億|割)?")
_SCALE = {"千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "億": 1e8}


def text_numbers(text: str) -> set[float]:
    """Every number the text states, also scaled by a following 千/万/億 (and 割 as tens of percent)."""
    out: set[float] = set()
    for digits, suffix in _NUMBER.findall(unicodedata.normalize("NFKC", text)):
        n = float(digits.replace(",", ""))
        out.add(n)
        if suffix == "割":
            out.add(n * 10)
        elif suffix:
            out.add(n * _SCALE[suffix])
    return out


def _value_forms(value: float, unit: str | None) -> set[float]:
    forms = {value}
    for prefix in ("千万", "百万", "千", "万", "億"):
        if unit and unicodedata.normalize("NFKC", unit).startswith(prefix):
            forms.add(value * _SCALE[prefix])
            break
    return forms


def disagrees(text: str, value: float, unit: str | None) -> bool:
    """True when the text states numbers and none of them is ``value`` (in ``unit``)."""
    numbers = text_numbers(text)
    if not numbers:
        return False
    return not any(abs(n - v) <= 1e-9 * max(1.0, abs(v)) for n in numbers for v in _value_forms(value, unit))


def _targets(action):
    t = action.target
    if t is not None and t.spec is not None:
        yield ("target", "spec", "value"), t.text, t.spec.value, t.spec.unit
    for i, yt in enumerate(action.yearly_targets):
        if yt.spec is not None:
            yield ("yearly_targets", i, "spec", "value"), yt.text, yt.spec.value, yt.spec.unit
    for k, ind in enumerate(action.indicators):
        for i, it in enumerate(ind.targets):
            if it.text and it.value is not None:
                yield ("indicators", k, "targets", i, "value"), it.text, it.value, ind.unit
        if ind.target_text and ind.target_value is not None:
            yield ("indicators", k, "target_value"), ind.target_text, ind.target_value, ind.unit


def _fmt(x: float) -> str:
    return f"{x:g}"


def check(ctx):
    for la in ctx.loaded.actions:
        for loc, text, value, unit in _targets(la.action):
            if disagrees(text, value, unit):
                yield Finding(la.doc, loc, {"text": text, "value": _fmt(value), "unit": unit or ""})
