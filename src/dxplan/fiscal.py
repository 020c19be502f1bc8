"""Fiscal years (年度) and Japanese era dates.

A Japanese fiscal year runs from April 1 to March 31. 令和N年度 is fiscal year
2018+N (令和元年度 = 2019), 平成N年度 is 1988+N. Fiscal years are held as the
Western year in which they start (``2024`` for 令和6年度 = 2024-04-01 … 2025-03-31).

Source of the rule: docs/domain.md, "Dates".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dxplan.i18n import N_, UserError, t

ERAS = {"令和": 2018, "平成": 1988, "R": 2018, "H": 1988}

_FY_PATTERN = re.compile(
    r"^\s*(?:(?P<western>\d{4})(?:年度)?|(?P<era>令和|平成|R|H)\s*(?P<n>\d{1,2}|元)\s*(?:年度)?)\s*$",
    re.IGNORECASE,
)

class FiscalYearError(UserError, ValueError):
    """A text that is not a fiscal year in one of the accepted forms (a usage error on the command line).

    Also a ``ValueError``, so that a pydantic validator may raise it."""


def parse_fiscal_year(value: object) -> int:
    """Return the fiscal year (Western start year) for ``2024``, ``"R6"``, ``"令和6年度"``.

    Accepted forms: an int or digit string of four digits (``2024``, ``"2024年度"``),
    ``R6``/``r6``/``H30``, ``令和6年度``/``令和元年度``/``平成30年度``. Full-width digits are
    accepted (NFKC). Raises :class:`FiscalYearError` for anything else.
    """
    if isinstance(value, bool):
        raise FiscalYearError(N_("not a fiscal year: {value}"), {"value": repr(value)})
    if isinstance(value, int):
        if 1900 <= value <= 2200:
            return value
        raise FiscalYearError(N_("fiscal year out of range: {value}"), {"value": value})
    if not isinstance(value, str):
        raise FiscalYearError(N_("not a fiscal year: {value}"), {"value": repr(value)})
    return _fiscal_year_text(value)


@lru_cache(maxsize=4096)
def _fiscal_year_text(value: str) -> int:
    """:func:`parse_fiscal_year` of a text, remembered: every action file repeats the same few years (an error is not remembered)."""
    text = unicodedata.normalize("NFKC", value)
    m = _FY_PATTERN.match(text)
    if not m:
        raise FiscalYearError(N_("not a fiscal year: {value} (use 2024, R6 or 令和6年度)"), {"value": repr(value)})
    if m.group("western"):
        return int(m.group("western"))
    era = m.group("era").upper() if m.group("era") in ("r", "h") else m.group("era")
    n = 1 if m.group("n") == "元" else int(m.group("n"))
    return ERAS[era] + n


def format_fiscal_year(fy: int, style: str = "reiwa") -> str:
    """Show fiscal year ``fy`` in a plan's style: ``reiwa`` → 令和6年度, ``r`` → R6, ``western`` → 2024年度."""
    if style == "western":
        return f"{fy}年度"
    if fy >= 2019:
        n = fy - 2018
        if style == "r":
            return f"R{n}"
        return "令和元年度" if n == 1 else f"令和{n}年度"
    n = fy - 1988
    return f"H{n}" if style == "r" else f"平成{n}年度"


def period_years(start: int, end: int) -> int:
    """Number of fiscal years from ``start`` to ``end`` inclusive (令和6年度〜令和8年度 → 3; the 3 of 「3カ年平均」).

    Raises ValueError when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    return end - start + 1


@dataclass(frozen=True)
class FiscalYearText:
    """A fiscal year worded when the language is known (a ``callable(lang)``, as :class:`dxplan.i18n.Text` parameters take):
    Japanese in the plan's style (:func:`format_fiscal_year`: 令和6年度, R6, 2024年度), English ``FY2024``.

    The pure core hands these over inside :class:`~dxplan.i18n.Text` so that no Japanese reaches an English output.
    """

    fy: int
    style: str = "reiwa"

    def __call__(self, lang: str) -> str:
        return t(lang, "FY{year}", year=self.fy) if lang == "en" else format_fiscal_year(self.fy, self.style)


_ERA_DATE = re.compile(r"^\s*(?P<era>令和|平成)\s*(?P<y>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$")
_YEAR_MONTH = re.compile(
    r"^\s*(?:(?P<western>\d{4})\s*(?:[-/.]|年)\s*(?P<wm>\d{1,2})\s*月?|(?P<era>令和|平成)\s*(?P<n>\d{1,2}|元)\s*年\s*(?P<em>\d{1,2})\s*月)\s*$"
)


def parse_era_date(value: str) -> dt.date:
    """The date of ``令和7年2月10日`` (``令和元年5月1日``, 平成; full-width digits accepted), as :func:`era_date`
    writes it (令和N年 = 2018+N, 平成N年 = 1988+N). Raises ValueError for anything else or a day that does not exist."""
    m = _ERA_DATE.match(unicodedata.normalize("NFKC", value))
    if not m:
        raise ValueError(f"not an era date: {value!r} (write 令和7年2月10日 or 2025-02-10)")
    n = 1 if m.group("y") == "元" else int(m.group("y"))
    return dt.date(ERAS[m.group("era")] + n, int(m.group("m")), int(m.group("d")))


def parse_year_month(value: object) -> tuple[int, int]:
    """(year, month) of a month as plans write a period's ends: ``2023-01``, ``2023/1``, ``2023年1月``,
    ``令和5年1月`` (or a date: its month). Raises ValueError for anything else or a month outside 1–12."""
    if isinstance(value, dt.date):
        return value.year, value.month
    if not isinstance(value, str):
        raise ValueError(f"not a month: {value!r} (write 2023-01 or 令和5年1月)")
    m = _YEAR_MONTH.match(unicodedata.normalize("NFKC", value))
    if not m:
        raise ValueError(f"not a month: {value!r} (write 2023-01 or 令和5年1月)")
    if m.group("western"):
        year, month = int(m.group("western")), int(m.group("wm"))
    else:
        year, month = ERAS[m.group("era")] + (1 if m.group("n") == "元" else int(m.group("n"))), int(m.group("em"))
    if not 1 <= month <= 12:
        raise ValueError(f"not a month: {value!r}")
    return year, month


def fiscal_year_of_month(year: int, month: int) -> int:
    """The fiscal year holding a month: 2023-01 → 2022 (令和4年度), 2023-04 → 2023."""
    return year if month >= 4 else year - 1


def fiscal_year_of(day: dt.date) -> int:
    """Fiscal year containing ``day``: April–December → same year, January–March → previous."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_end(fy: int) -> dt.date:
    """The last day of fiscal year ``fy`` (its Western start year): 31 March of the next year (2024 → 2025-03-31)."""
    return dt.date(fy + 1, 3, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, the day of month kept where that month has it, else its last day
    (2025-11-30 + 3 → 2026-02-28). ``months`` may be negative."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def era_date(day: dt.date) -> str:
    """``day`` as the plans write dates: ``令和7年2月10日`` (``令和元年5月1日``; 平成 before 2019-05-01).

    Source: docs/domain.md, "Dates" (令和N年 = 2018+N).
    """
    if day >= dt.date(2019, 5, 1):
        era, n = "令和", day.year - 2018
    elif day >= dt.date(1989, 1, 8):
        era, n = "平成", day.year - 1988
    else:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{era}{'元' if n == 1 else n}年{day.month}月{day.day}日"


def format_date(day: dt.date, lang: str = "ja", style: str = "reiwa") -> str:
    """A date for a report in ``lang``: Japanese in the plan's style (``reiwa``/``r`` → 令和7年2月10日,
    ``western`` → 2025年2月10日), English as ``10 February 2025``."""
    if lang == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    if style == "western":
        return f"{day.year}年{day.month}月{day.day}日"
    return era_date(day)
