"""The combined view's table laid out without rich's engine writes exactly what rich writes, or leaves the table to rich."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from rich.console import Console

from dxplan.model.schema import STATE_ORDER
from dxplan.output.plain_table import plain_table
from dxplan.output.terminal import ReadableTable, print_overview
from dxplan.status.counts import Counts, PlanName, PlanOverview

NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=12)
JAPANESE = st.text(st.sampled_from("嘉麻市鹿島飯塚桂川町村ｶﾅabc 123（）・ー"), min_size=1, max_size=10)


def _console(width: int, **kw) -> Console:
    return Console(width=width, highlight=False, markup=False, color_system=None, force_terminal=False, **kw)


def _rich(table, width: int) -> str:
    console = _console(width)
    with console.capture() as captured:
        console.print(table)
    return captured.get()


def _table(rows: list[list[str]], heads: list[str], sections: list[bool], title: str | None) -> ReadableTable:
    tb = ReadableTable(title=title, title_justify="left")
    for i, head in enumerate(heads):
        tb.add_column(head, justify="left" if i < 2 else "right")
    for row, section in zip(rows, sections, strict=True):
        tb.add_row(*row)
        if section:
            tb.add_section()
    return tb


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    ncols=st.integers(2, 6),
    nrows=st.integers(0, 8),
    width=st.integers(20, 160),
    title=st.one_of(st.none(), NAMES, JAPANESE),
)
def test_plain_layout_equals_rich_or_declines(data, ncols, nrows, width, title):
    text = st.one_of(NAMES, JAPANESE, st.integers(0, 10**6).map(str))
    heads = data.draw(st.lists(text, min_size=ncols, max_size=ncols))
    rows = data.draw(st.lists(st.lists(text, min_size=ncols, max_size=ncols), min_size=nrows, max_size=nrows))
    sections = data.draw(st.lists(st.booleans(), min_size=nrows, max_size=nrows))
    plain = plain_table(_table(rows, heads, sections, title), _console(width))
    if plain is not None:
        assert plain == _rich(_table(rows, heads, sections, title), width)


def test_the_combined_view_of_many_plans_is_laid_out_plainly_and_as_rich_lays_it_out(monkeypatch):
    import dxplan.output.terminal as terminal

    overviews = []
    for i in range(60):
        acts, rows = Counts(), Counts()
        for n, s in enumerate(STATE_ORDER):
            acts.states[s] = (i * 7 + n) % 13
            rows.states[s] = (i * 31 + n * 5) % 400
        rows.no_status = i % 3
        overviews.append(PlanOverview(PlanName(f"p{i}", ["嘉麻市", "鹿島市", "飯塚市", "桂川町", "Ōmachi"][i % 5] * (1 + i % 3), "reiwa"),
                                      2024 + i % 3, acts, rows))
    laid_out: list[str | None] = []
    monkeypatch.setattr(terminal, "plain_table", lambda table, console: laid_out.append(plain_table(table, console)) or laid_out[-1])
    console = _console(120)
    with console.capture() as captured:
        print_overview(console, overviews, "ja")
    fast = captured.get()
    assert len(laid_out) == 1 and laid_out[0] is not None  # the plain layout was taken
    monkeypatch.setattr(terminal, "plain_table", lambda table, console: None)  # rich lays out the same table
    with console.capture() as captured:
        print_overview(console, overviews, "ja")
    assert fast == captured.get()
    assert fast.count("\n") > 120 and "│ 桂川町桂川町桂川町 │" in fast and fast.count("├") == 59  # two rows per plan, a line between plans


def test_colour_a_narrow_console_or_control_characters_leave_the_table_to_rich():
    tb = _table([["嘉麻市", "R6", "1"]], ["計画", "年度", "数"], [False], "t")
    assert plain_table(tb, _console(120)) is not None
    assert plain_table(tb, Console(width=120, color_system="truecolor", force_terminal=True)) is None
    assert plain_table(tb, _console(10)) is None  # would fold: rich's job
    assert plain_table(_table([["a\x1b]0;x\x07", "R6", "1"]], ["計画", "年度", "数"], [False], "t"), _console(120)) is None


def test_a_table_that_fits_with_its_frame_keeps_it():
    # 17 cells wide with the frame, on a 20-cell console: rich passes the width left after the frame
    # (16) to the column widths, which must not count the frame a second time and fold or unframe it
    table = _table([["", "", "00"]], ["⺀", "0⺀", ""], [False], None)
    assert _rich(table, 20) == "┏━━━━┳━━━━━┳━━━━┓\n┃ ⺀ ┃ 0⺀ ┃    ┃\n┡━━━━╇━━━━━╇━━━━┩\n│    │     │ 00 │\n└────┴─────┴────┘\n"
    assert plain_table(_table([["", "", "00"]], ["⺀", "0⺀", ""], [False], None), _console(20)) == _rich(table, 20)


def test_a_right_justified_cell_loses_its_trailing_whitespace_as_in_rich():
    # rich strips a right-justified line's trailing whitespace before padding it on the left; the column keeps
    # the width measured with the whitespace
    table = _table([["a", "b", "12  "]], ["x", "y", "0 "], [False], None)
    expected = "┏━━━┳━━━┳━━━━━━┓\n┃ x ┃ y ┃    0 ┃\n┡━━━╇━━━╇━━━━━━┩\n│ a │ b │   12 │\n└───┴───┴──────┘\n"
    assert _rich(table, 40) == expected
    assert plain_table(_table([["a", "b", "12  "]], ["x", "y", "0 "], [False], None), _console(40)) == expected
