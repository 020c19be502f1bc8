"""The building blocks of every rate: rate states, the :class:`Rate` record and the arithmetic.

Shared by :mod:`dxplan.score.methods` (the methods of 001's flowchart) and :mod:`dxplan.score.indicators`
(indicators). Percents are 0–100; raw values are kept unrounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from dxplan.i18n import N_, Text



class RateStatus(StrEnum):
    """Whether one rate could be computed: ``ok``, ``insufficient_data`` (inputs incomplete) or ``not_applicable`` (no inputs)."""

    ok = "ok"
    insufficient_data = "insufficient_data"
    not_applicable = "not_applicable"


class ScoreState(StrEnum):
    """An action's evaluation: ``evaluated`` (a deciding rate), ``insufficient_data`` (some inputs, incomplete)
    or ``not_evaluated`` (none)."""

    evaluated = "evaluated"
    insufficient_data = "insufficient_data"
    not_evaluated = "not_evaluated"
    no_scale = "no_scale"  # only a tally key: a deciding rate, and no percent scale declared to label it


OK = RateStatus.ok
INSUFFICIENT = RateStatus.insufficient_data
NOT_APPLICABLE = RateStatus.not_applicable

NOT_EVALUATED_LABEL = "未評価"
"""The label of an action without a deciding rate (``ActionScore.label``; JSON ``label``)."""

NO_SCALE_LABEL = "評価尺度なし"
"""The label of a rate when the plan declares no percent scale (``rating_scale``): never a borrowed label."""


MEASURE_WORDS = {
    "count": N_("measured as a count"),
    "level": N_("measured as a level"),
    "increase": N_("measured as an increase"),
    "multiple": N_("measured as a multiple"),
    "per_year": N_("measured per year"),
    "lower_is_better": N_("lower is better"),
}
"""How a target or indicator is measured (``TargetKind`` / ``Indicator.measure``), worded for explanations (水準, 倍率 …)."""

ACCUMULATION_WORDS = {"cumulative": N_("cumulative"), "per_year": N_("each year on its own")}
"""``Indicator.accumulation`` worded for explanations (累計 / 年度ごと)."""

DIRECTION_WORDS = {"higher": N_("higher is better"), "lower": N_("lower is better")}
"""``Indicator.direction`` worded for explanations."""


def round1(value: float) -> Decimal:
    """Round half-up to one decimal (54.1666… → 54.2; 89.96 → 90.0). Python's round() is half-even."""
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)



class Method(StrEnum):
    """The ways to a rate, in the order they are shown (columns, reference rates); each has a
    :class:`dxplan.score.methods.MethodRule` in :data:`dxplan.score.methods.METHOD_RULES`."""

    target = "target"
    tasks = "tasks"
    summary = "summary"

@dataclass
class Rate:
    """One rate: ``value`` is the raw percent (None unless ``status`` is ``ok``), with its explanation.

    ``explain`` holds (ja, en) line pairs: the inputs, the formula with numbers,
    the result — enough for a council member to check by hand. ``reason`` (ja, en)
    says why a rate is not ``ok``. ``interim``: measured before the target's deadline (途中経過).
    """

    method: Method
    status: RateStatus
    value: float | None = None
    explain: list[Text | tuple[str, str]] = field(default_factory=list)  # a (ja, en) pair only for bare formulas
    reason: Text | None = None
    interim: bool = False
    range_note: Text | None = None
    """Why a rate (an indicator's, or an action's target rate) lies outside 0–100 % (:func:`range_note`), shown
    beside it by every writer (JSON: the key as ``range``); None inside the range."""

    @property
    def shown(self) -> str | None:
        """The value as shown: one decimal, e.g. ``"54.2"``."""
        return None if self.value is None else f"{round1(self.value)}"


def fmt_num(x: float, decimals: int | None = None) -> str:
    """A number as written in explanations: with ``decimals`` (an indicator's declared precision, the override)
    exactly that many, half-up: ``85.0``; else a number read from the plan as its source wrote it (``85.0``,
    ``3.10``, ``100``: :func:`written_decimals`); else as it needs: ``8``, ``1.8``, ``47.89`` (no trailing ``.0``)."""
    if decimals is None:
        decimals = written_decimals(x)
    if decimals is not None:
        return f"{Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)}"
    return f"{x:g}" if abs(x - round(x)) > 1e-9 else f"{int(round(x))}"


def written_decimals(x: object) -> int | None:
    """The decimals a number read from a plan was written with (``85.0`` → 1, ``3.10`` → 2, ``100`` → 0;
    :class:`dxplan.numbers.WrittenFloat`), None for a number we computed."""
    decimals = getattr(x, "decimals", None)
    return decimals if isinstance(decimals, int) else None


def ratio(actual: float, baseline: float, target: float, lower: bool) -> float | None:
    """docs/domain.md rule 1 in percent: ``(actual − baseline) / (target − baseline) × 100``;
    lower is better: ``(baseline − actual) / (baseline − target) × 100``. None when target equals baseline."""
    denom = (baseline - target) if lower else (target - baseline)
    if denom == 0:
        return None
    num = (baseline - actual) if lower else (actual - baseline)
    return num / denom * 100




def read_rate(actual: float, baseline: float, target: float, lower: bool, reading: str = "progress") -> float | None:
    """A rate in percent as the plan reads it (``Plan.scoring.rate``).

    ``progress`` (001, docs/domain.md rule 1): progress from the baseline, :func:`ratio`. ``ratio``: the
    actual as a share of the target, ``actual ÷ target × 100`` (lower is better: ``target ÷ actual × 100``);
    the baseline is not used. None when the divisor is 0.
    """
    if reading == "ratio":
        divisor = actual if lower else target
        if divisor == 0:
            return None
        return (target / actual if lower else actual / target) * 100
    return ratio(actual, baseline, target, lower)


def formula_text(actual: float, base: float, target: float, lower: bool, reading: str = "progress", decimals: int | None = None) -> str:
    """The arithmetic of :func:`read_rate` with its numbers, e.g. ``(8 − 0) / (10 − 0)`` or ``92.9 / 100``;
    ``decimals``: the precision the source writes the actual with (:func:`fmt_num`)."""
    a = fmt_num(actual, decimals)
    if reading == "ratio":
        return f"{fmt_num(target)} / {a}" if lower else f"{a} / {fmt_num(target)}"
    if lower:
        return f"({fmt_num(base)} − {a}) / ({fmt_num(base)} − {fmt_num(target)})"
    return f"({a} − {fmt_num(base)}) / ({fmt_num(target)} − {fmt_num(base)})"


RANGE_NOTES: dict[str, str] = {
    "beyond_target": N_("beyond the target"),
    "below_baseline": N_("actual below the baseline"),
    "above_baseline": N_("actual above the baseline"),
    "negative": N_("negative actual or target"),
}
"""Why a rate lies outside 0–100 %, by key (the key JSON carries as ``range``; writers word the message)."""


def range_key(value: float | None, lower: bool, reading: str = "progress") -> str | None:
    """The key (:data:`RANGE_NOTES`) of why a rate (percent) as shown lies outside 0–100: ``beyond_target`` above
    100; below 0, the actual on the wrong side of the baseline (``below_baseline``, or ``above_baseline`` where lower
    is better; ``progress``) or a negative actual or target (``negative``; ``ratio``). None inside 0–100."""
    if value is None:
        return None
    shown = round1(value)
    if shown > 100:
        return "beyond_target"
    if shown < 0:
        if reading == "ratio":
            return "negative"
        return "above_baseline" if lower else "below_baseline"
    return None


def range_note(value: float | None, lower: bool, reading: str = "progress") -> Text | None:
    """Why a rate (percent) as shown lies outside 0–100, as a message (:func:`range_key`); None inside 0–100."""
    key = range_key(value, lower, reading)
    return None if key is None else Text(RANGE_NOTES[key])


def range_key_of(note: Text | None) -> str | None:
    """The :data:`RANGE_NOTES` key of a range note made by :func:`range_note`, None for none."""
    if note is None:
        return None
    return next((k for k, msgid in RANGE_NOTES.items() if msgid == note.msgid), None)
