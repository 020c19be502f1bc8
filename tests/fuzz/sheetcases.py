"""Mutated sheets for fuzzing ``dxplan import``.

A :class:`SheetCase` is a recipe: a bundled plan, a sheet format (``xlsx`` or ``csv``), a
department (an index into the plan's ``departments``, or None for the whole plan), an operator of
:data:`XLSX_OPS` or :data:`CSV_OPS` and its parameters. :func:`base_sheet` exports the unmutated
plan once per (plan, format, department) with the real ``dxplan export`` (through the fuzz
runner); :func:`mutate_sheet` applies the operator to those bytes as a clerk or an attacker would:

- cells: a wrong type in any column (text in numbers, numbers in texts, 1e308, 10^400, dates,
  booleans, error values), a formula without a cached value (openpyxl writes none) or with one, a
  value over Excel's 32,767 characters, control characters (raw, which breaks the XML, and as
  Excel's ``_x001B_`` escape), CSV formula prefixes (``=``, ``+``, ``-``, ``@``);
- keys: edited, emptied, duplicated, and a row key taken from another department's sheet;
- structure: merged cells, a cell at XFD1048576, duplicated, renamed or deleted headers, extra,
  renamed and deleted sheets, duplicated and deleted rows;
- the file: truncated or corrupt zip, tampered XML (DOCTYPE with entities, a wrong root, a member
  removed), a zip bomb (a small file that decompresses to ``size`` bytes, at most 256 MiB, made
  streaming so the fuzzer never holds it) and a zip whose directory declares a huge size; for CSV,
  UTF-16 (Excel's 「Unicode テキスト」, tab-separated), Shift_JIS, no BOM, a field over 131,072
  characters, many rows or columns, a tampered first (metadata) cell.

:data:`MUST_REFUSE` names the operators issue-level promises say import must refuse (exit 1,
nothing written) whenever they change a value: the oracle reports them as ``silent-change`` when the
import exits 0 and modifies the plan.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from .mutate import PLANS, bundled_plans

_at = st.floats(0, 1, exclude_max=True, allow_nan=False)


@dataclass(frozen=True)
class SheetCase:
    """One sheet mutation recipe: ``plan``, ``fmt`` (xlsx|csv), ``dept`` (index or None), ``op``, ``params``."""

    plan: str
    fmt: str
    dept: int | None
    op: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"surface": "sheets", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SheetCase:
        return cls(**{k: data[k] for k in ("plan", "fmt", "dept", "op", "params")})

    def label(self) -> str:
        args = ", ".join(f"{k}={_short(v)}" for k, v in sorted(self.params.items()))
        return f"{self.op}({args}) on {self.plan} {self.fmt} sheet" + ("" if self.dept is None else f" -d #{self.dept}")


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def departments(plan: str) -> list[str]:
    """The ``departments[].name`` of a bundled plan, in file order (read with ruamel.yaml)."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((PLANS / plan / "plan.yaml").read_text(encoding="utf-8"))
    return [d["name"] for d in (data or {}).get("departments") or [] if isinstance(d, dict) and d.get("name")]


def department(plan: str, dept: int | None) -> str | None:
    names = departments(plan)
    return None if dept is None or not names else names[dept % len(names)]


# --------------------------------------------------------------------------- values

#: Values of the wrong type (or at an edge) for any column, as openpyxl writes them.
WRONG = ["", " ", "abc", "完了", "進捗中", "未着手", -1, 0, 101, 100.0000001, 50.5, 1e308, -1e308, 1e-320, -0.0,
         True, "令和6年度", "2025-02-30", "#DIV/0!", "\u202e逆", "x\ny", "'=1+1", "=1+1", "+A1", "-2+3", "@SUM(1)",
         "=HYPERLINK(\"http://e.invalid\")", "100%", "５０", "1,000", " 50 ", "NaN", "inf"]
#: Raw ``<c>`` elements (``{r}`` is the reference) for what openpyxl cannot write itself.
RAW_CELLS = {
    "int400": '<c r="{r}"><v>1' + "0" * 400 + "</v></c>",
    "exp400": '<c r="{r}"><v>1E400</v></c>',
    "subnormal": '<c r="{r}"><v>4.9406564584124654E-324</v></c>',
    "negzero": '<c r="{r}"><v>-0</v></c>',
    "nan_num": '<c r="{r}"><v>NaN</v></c>',
    "text_in_num": '<c r="{r}"><v>abc</v></c>',
    "bool2": '<c r="{r}" t="b"><v>2</v></c>',
    "error": '<c r="{r}" t="e"><v>#REF!</v></c>',
    "date_bad": '<c r="{r}" t="d"><v>2025-02-30T00:00:00</v></c>',
    "formula_cached_num": '<c r="{r}"><f>1+1</f><v>2</v></c>',
    "formula_cached_str": '<c r="{r}" t="str"><f>"完"&amp;"了"</f><v>完了</v></c>',
    "formula_nocache": '<c r="{r}"><f>SUM(1,2)</f></c>',
    "shared_bad_index": '<c r="{r}" t="s"><v>999999</v></c>',
    "control_escaped": '<c r="{r}" t="inlineStr"><is><t>a_x001B_[2Jb_x0000_</t></is></c>',
    "control_raw": '<c r="{r}" t="inlineStr"><is><t>a\x1b[2Jb\x07</t></is></c>',
    "bad_ref": '<c r="A0"><v>1</v></c>',
    "huge_inline": '<c r="{r}" t="inlineStr"><is><t>' + "長" * 40_000 + "</t></is></c>",
}
XLSX_OPS = ["cell", "raw_cell", "key", "foreign_key", "formula", "merge", "far_cell", "header", "long_cell", "row",
            "sheet", "zip_truncate", "zip_flip", "bomb", "declared_size", "xml", "noop"]
CSV_OPS = ["cell", "key", "foreign_key", "header", "long_cell", "row", "encoding", "truncate", "byte_flip", "meta",
           "control", "grow", "noop"]
#: Operators import must refuse when they change a value (issue: formulas without cached values,
#: merged cells, duplicated/renamed columns, another department's key, a cell over 32,767 characters).
MUST_REFUSE = {("xlsx", "merge"), ("xlsx", "formula"), ("xlsx", "header"), ("xlsx", "foreign_key"),
               ("csv", "foreign_key"), ("csv", "header"), ("xlsx", "long_cell")}

_xlsx_params = {
    "cell": st.fixed_dictionaries({"sheet": _at, "row": _at, "col": _at, "value": st.sampled_from(WRONG)}),
    "raw_cell": st.fixed_dictionaries({"sheet": _at, "row": _at, "col": _at, "kind": st.sampled_from(sorted(RAW_CELLS))}),
    "key": st.fixed_dictionaries({"sheet": _at, "row": _at, "row2": _at, "kind": st.sampled_from(
        ["other_row", "garbage", "empty", "number", "other_plan", "truncated", "path"])}),
    "foreign_key": st.fixed_dictionaries({"sheet": _at, "row": _at, "at": _at, "whole_row": st.booleans()}),
    "formula": st.fixed_dictionaries({"sheet": _at, "row": _at, "col": _at, "cached": st.booleans(),
                                      "expr": st.sampled_from(["1+1", "SUM(1,2)", '"完了"', "NOW()", "A1", "1/0"])}),
    "merge": st.fixed_dictionaries({"sheet": _at, "row": _at, "col": _at, "rows": st.integers(1, 4), "cols": st.integers(1, 4)}),
    "far_cell": st.fixed_dictionaries({"sheet": _at, "ref": st.sampled_from(["XFD1048576", "A1048576", "XFD1", "ZZ5000"]),
                                       "dimension_only": st.booleans()}),
    "header": st.fixed_dictionaries({"sheet": _at, "col": _at, "col2": _at, "kind": st.sampled_from(
        ["duplicate", "rename", "delete", "empty", "swap", "insert_column"])}),
    "long_cell": st.fixed_dictionaries({"sheet": _at, "row": _at, "col": _at, "size": st.sampled_from([32_767, 32_768, 34_004, 200_000])}),
    "row": st.fixed_dictionaries({"sheet": _at, "row": _at, "kind": st.sampled_from(["duplicate", "delete", "blank", "hide", "insert_blank"])}),
    "sheet": st.fixed_dictionaries({"sheet": _at, "kind": st.sampled_from(["extra", "rename", "delete", "hide", "copy", "only_one"])}),
    "zip_truncate": st.fixed_dictionaries({"at": _at}),
    "zip_flip": st.fixed_dictionaries({"at": st.lists(_at, min_size=1, max_size=6), "xor": st.integers(1, 255)}),
    "bomb": st.fixed_dictionaries({"kind": st.sampled_from(["whitespace", "rows", "strings", "columns"]),
                                   "size": st.sampled_from([8 << 20, 64 << 20, 256 << 20])}),
    "declared_size": st.fixed_dictionaries({"member": _at, "size": st.sampled_from([0, 1, 0x7FFFFFFF, 0xFFFFFFFE])}),
    "xml": st.fixed_dictionaries({"member": _at, "kind": st.sampled_from(
        ["truncate", "doctype_entity", "external_entity", "wrong_root", "remove", "garbage", "empty", "bad_sheet_rel"]),
        "at": _at}),
    "noop": st.just({}),
}
_csv_params = {
    "cell": _xlsx_params["cell"],
    "key": _xlsx_params["key"],
    "foreign_key": _xlsx_params["foreign_key"],
    "header": _xlsx_params["header"],
    "long_cell": st.fixed_dictionaries({"row": _at, "col": _at, "size": st.sampled_from([32_768, 131_072, 131_073, 1_000_000])}),
    "row": _xlsx_params["row"],
    "encoding": st.fixed_dictionaries({"kind": st.sampled_from(
        ["utf16_tab", "utf16_comma", "utf16le_nobom", "utf16be", "cp932", "no_bom", "double_bom", "latin1", "crlf", "cr",
         "semicolon", "tab"])}),
    "truncate": st.fixed_dictionaries({"at": _at}),
    "byte_flip": _xlsx_params["zip_flip"],
    "meta": st.fixed_dictionaries({"kind": st.sampled_from(
        ["delete", "version", "plan", "department", "years_huge", "years_nan", "not_json", "deep", "empty"])}),
    "control": st.fixed_dictionaries({"row": _at, "col": _at, "char": st.sampled_from(
        ["\x00", "\x07", "\x1b[2J", "\x0c", "\r", "\u2028", "\x85", '"', "\ufeff"])}),
    "grow": st.fixed_dictionaries({"kind": st.sampled_from(["rows", "columns", "line"]),
                                   "count": st.sampled_from([1000, 100_000, 2_000_000])}),
    "noop": st.just({}),
}


@st.composite
def sheet_cases(draw, plans: list[str] | None = None) -> SheetCase:
    """Hypothesis strategy for a :class:`SheetCase` (kurate is left out: it has no task rows)."""
    plan = draw(st.sampled_from(plans or [p for p in bundled_plans() if p != "kurate"]))
    fmt = draw(st.sampled_from(["xlsx", "csv"]))
    dept = draw(st.one_of(st.none(), st.integers(0, 999)))
    op = draw(st.sampled_from(XLSX_OPS if fmt == "xlsx" else CSV_OPS))
    params = draw((_xlsx_params if fmt == "xlsx" else _csv_params)[op])
    return SheetCase(plan, fmt, dept, op, params)


# --------------------------------------------------------------------------- xlsx


def _idx(at: float, n: int) -> int:
    return min(int(at * n), max(n - 1, 0))


def _load(data: bytes):
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data))


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_ref(ws, p: dict, *, data_rows: bool = True) -> tuple[int, int]:
    rows = max(ws.max_row, 2)
    row = 2 + _idx(p.get("row", 0), rows - 1) if data_rows else 1
    col = 1 + _idx(p.get("col", 0), max(ws.max_column, 1))
    return row, col


def _replace_cell_xml(data: bytes, sheet_index: int, ref: str, element: str) -> bytes:
    """Put ``element`` in place of cell ``ref`` of the ``sheet_index``-th sheet of an openpyxl-saved file."""
    src = zipfile.ZipFile(io.BytesIO(data))
    name = f"xl/worksheets/sheet{sheet_index + 1}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == name:
                text = body.decode("utf-8")
                pat = re.compile(rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)', re.S)
                text, n = pat.subn(lambda _m: element, text, count=1)
                body = text.encode("utf-8", errors="surrogateescape")
            dst.writestr(info.filename, body)
    return out.getvalue()


def _set_placeholder(wb, p: dict) -> tuple[int, str]:
    ws = wb.worksheets[_idx(p.get("sheet", 0), len(wb.worksheets))]
    row, col = _cell_ref(ws, p)
    ws.cell(row, col).value = "__dxfuzz__"
    return wb.worksheets.index(ws), ws.cell(row, col).coordinate


def _rows_with_keys(ws) -> list[int]:
    return [r for r in range(2, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, str) and ws.cell(r, 1).value]


def mutate_xlsx(case: SheetCase, data: bytes, foreign: bytes | None) -> bytes:
    """The mutated xlsx bytes of ``case`` from the exported ``data`` (``foreign``: another department's sheet)."""
    op, p = case.op, case.params
    if op == "noop":
        return data
    if op == "zip_truncate":
        return data[: int(p["at"] * len(data))]
    if op == "zip_flip":
        b = bytearray(data)
        for a in p["at"]:
            b[_idx(a, len(b))] ^= p["xor"]
        return bytes(b)
    if op == "bomb":
        return _bomb(data, p["kind"], p["size"])
    if op == "declared_size":
        return _declared_size(data, p["member"], p["size"])
    if op == "xml":
        return _tamper_xml(data, p)
    wb = _load(data)
    sheets = wb.worksheets
    ws = sheets[_idx(p.get("sheet", 0), len(sheets))]
    if op == "cell":
        row, col = _cell_ref(ws, p)
        ws.cell(row, col).value = p["value"]
    elif op == "raw_cell":
        si, ref = _set_placeholder(wb, p)
        return _replace_cell_xml(_save(wb), si, ref, RAW_CELLS[p["kind"]].replace("{r}", ref))
    elif op == "formula":
        row, col = _cell_ref(ws, p)
        old = ws.cell(row, col).value
        if not p["cached"]:
            ws.cell(row, col).value = "=" + p["expr"]
        else:
            si, ref = _set_placeholder(wb, p)
            cached = "" if old is None else str(old)
            xml_escaped = cached.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            expr = p["expr"].replace("&", "&amp;").replace('"', "&quot;")
            t = "" if isinstance(old, (int, float)) else ' t="str"'
            return _replace_cell_xml(_save(wb), si, ref, f'<c r="{ref}"{t}><f>{expr}</f><v>{xml_escaped}</v></c>')
    elif op == "key":
        keys = _rows_with_keys(ws)
        if keys:
            r = keys[_idx(p["row"], len(keys))]
            other = ws.cell(keys[_idx(p["row2"], len(keys))], 1).value
            old = ws.cell(r, 1).value
            ws.cell(r, 1).value = {"other_row": other, "garbage": "zz/99#99|1999|", "empty": None, "number": 12345,
                                   "other_plan": re.sub(r"^[^/]*", "kashima" if case.plan != "kashima" else "kama", old),
                                   "truncated": old[: len(old) // 2], "path": "../../etc/passwd"}[p["kind"]]
    elif op == "foreign_key":
        if foreign is not None:
            fwb = _load(foreign)
            fws = fwb.worksheets[_idx(p["sheet"], len(fwb.worksheets))]
            fkeys = _rows_with_keys(fws)
            mine = {ws.cell(r, 1).value for r in _rows_with_keys(ws)}
            fkeys = [r for r in fkeys if fws.cell(r, 1).value not in mine]
            keys = _rows_with_keys(ws)
            if fkeys and keys:
                fr = fkeys[_idx(p["at"], len(fkeys))]
                r = keys[_idx(p["row"], len(keys))]
                cols = range(1, min(ws.max_column, fws.max_column) + 1) if p["whole_row"] else [1]
                for c in cols:
                    ws.cell(r, c).value = fws.cell(fr, c).value
    elif op == "merge":
        row, col = _cell_ref(ws, p)
        ws.merge_cells(start_row=row, start_column=col, end_row=row + p["rows"] - 1, end_column=col + p["cols"] - 1)
    elif op == "far_cell":
        if p["dimension_only"]:
            si = sheets.index(ws)
            raw = _save(wb)
            return _rewrite_member(raw, f"xl/worksheets/sheet{si + 1}.xml",
                                   lambda t: re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{p["ref"]}"/>', t, count=1))
        ws[p["ref"]] = "x"
    elif op == "header":
        _header(ws, p)
    elif op == "long_cell":
        row, col = _cell_ref(ws, p)
        ws.cell(row, col).value = ("長" * p["size"])[: p["size"]]
    elif op == "row":
        keys = _rows_with_keys(ws)
        r = keys[_idx(p["row"], len(keys))] if keys else 2
        if p["kind"] == "duplicate":
            new = ws.max_row + 1
            for c in range(1, ws.max_column + 1):
                ws.cell(new, c).value = ws.cell(r, c).value
        elif p["kind"] == "delete":
            ws.delete_rows(r)
        elif p["kind"] == "blank":
            for c in range(1, ws.max_column + 1):
                ws.cell(r, c).value = None
        elif p["kind"] == "hide":
            ws.row_dimensions[r].hidden = True
        else:
            ws.insert_rows(r)
    elif op == "sheet":
        kind = p["kind"]
        if kind == "extra":
            wb.create_sheet("fuzz").append(["x", 1, None])
        elif kind == "rename":
            ws.title = "名前変更"
        elif kind == "delete":
            wb.remove(ws)
            if not wb.worksheets:
                wb.create_sheet("empty")
        elif kind == "hide":
            if len(sheets) > 1:  # openpyxl refuses to save a workbook whose only sheet is hidden
                ws.sheet_state = "hidden"
        elif kind == "copy":
            wb.copy_worksheet(ws)
        else:
            for other in list(wb.worksheets):
                if other is not ws:
                    wb.remove(other)
            ws.sheet_state = "visible"  # the kept one may be the hidden base sheet; a workbook's only sheet is shown
    return _save(wb)


def _header(ws, p: dict) -> None:
    ncol = max(ws.max_column, 1)
    c1, c2 = 1 + _idx(p["col"], ncol), 1 + _idx(p["col2"], ncol)
    kind = p["kind"]
    if kind == "duplicate":
        ws.cell(1, c2).value = ws.cell(1, c1).value
    elif kind == "rename":
        ws.cell(1, c1).value = f"{ws.cell(1, c1).value}（改）"
    elif kind == "delete":
        ws.delete_cols(c1)
    elif kind == "empty":
        ws.cell(1, c1).value = None
    elif kind == "swap":
        a, b = ws.cell(1, c1).value, ws.cell(1, c2).value
        ws.cell(1, c1).value, ws.cell(1, c2).value = b, a
    else:
        ws.insert_cols(c1)
        ws.cell(1, c1).value = ws.cell(1, c1 + 1).value


def _rewrite_member(data: bytes, name: str, fn) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == name:
                body = fn(body.decode("utf-8", errors="surrogateescape")).encode("utf-8", errors="surrogateescape")
            dst.writestr(info.filename, body)
    return out.getvalue()


def _tamper_xml(data: bytes, p: dict) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in src.infolist()]
    name = names[_idx(p["member"], len(names))]
    kind = p["kind"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == name:
                if kind == "remove":
                    continue
                text = body.decode("utf-8", errors="replace")
                decl = re.match(r"<\?xml[^>]*\?>", text)
                head, rest = (decl.group(0), text[decl.end():]) if decl else ("", text)
                if kind == "truncate":
                    text = text[: int(p["at"] * len(text))]
                elif kind == "doctype_entity":
                    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
                        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
                    text = head + f"<!DOCTYPE x [{ents}]>" + rest.replace("</t>", "&i;</t>", 1)
                elif kind == "external_entity":
                    text = head + '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + rest.replace("</t>", "&e;</t>", 1)
                elif kind == "wrong_root":
                    text = head + "<nope>" + rest + "</nope>"
                elif kind == "garbage":
                    text = "not xml at all \x00\x01"
                elif kind == "empty":
                    text = ""
                else:  # bad_sheet_rel: point relationships at a missing part
                    text = text.replace('Target="', 'Target="missing/', 1)
                body = text.encode("utf-8", errors="replace")
            dst.writestr(info.filename, body)
    return out.getvalue()


def _bomb(data: bytes, kind: str, size: int) -> bytes:
    """The first sheet replaced by one that decompresses to about ``size`` bytes (streamed, bounded)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    target = next((i.filename for i in src.infolist() if i.filename.startswith("xl/worksheets/")), "xl/worksheets/sheet1.xml")
    sheet = src.read(target).decode("utf-8")
    cut = sheet.find("</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
        for info in src.infolist():
            if info.filename != target:
                dst.writestr(info.filename, src.read(info))
                continue
            with dst.open(target, "w", force_zip64=True) as fh:
                fh.write(sheet[:cut].encode("utf-8"))
                written, n = 0, 100_000
                while written < size:
                    if kind == "whitespace":
                        chunk = b" " * (1 << 20)
                    elif kind == "rows":
                        chunk = "".join(f'<row r="{n + i}"/>' for i in range(20_000)).encode()
                        n += 20_000
                    elif kind == "strings":
                        chunk = "".join(f'<row r="{n + i}"><c r="B{n + i}" t="inlineStr"><is><t>x</t></is></c></row>'
                                        for i in range(10_000)).encode()
                        n += 10_000
                    else:
                        chunk = b'<row r="99999">' + b'<c r="B99999"><v>1</v></c>' * 40_000 + b"</row>"
                    fh.write(chunk)
                    written += len(chunk)
                fh.write(sheet[cut:].encode("utf-8"))
    return out.getvalue()


def _declared_size(data: bytes, member: float, size: int) -> bytes:
    """Patch the central directory's uncompressed size of one member (a lying header)."""
    b = bytearray(data)
    sig = b"PK\x01\x02"
    offsets = [m.start() for m in re.finditer(re.escape(sig), bytes(b))]
    if not offsets:
        return data
    off = offsets[_idx(member, len(offsets))]
    b[off + 24: off + 28] = size.to_bytes(4, "little")
    return bytes(b)


# --------------------------------------------------------------------------- csv


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8-sig", newline: str = "\r\n") -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def mutate_csv(case: SheetCase, data: bytes, foreign: bytes | None) -> bytes:
    """The mutated CSV bytes of ``case`` from the exported ``data`` (``foreign``: another department's CSV)."""
    op, p = case.op, case.params
    if op == "noop":
        return data
    if op == "truncate":
        return data[: int(p["at"] * len(data))]
    if op == "byte_flip":
        b = bytearray(data)
        for a in p["at"]:
            b[_idx(a, len(b))] ^= p["xor"]
        return bytes(b)
    rows = _csv_rows(data)
    if not rows:
        return data
    width = max(len(r) for r in rows)
    body = list(range(1, len(rows)))

    def cell(rp: float, cp: float) -> tuple[int, int]:
        r = body[_idx(rp, len(body))] if body else 0
        return r, _idx(cp, max(len(rows[r]), 1))

    if op == "encoding":
        kind = p["kind"]
        if kind == "utf16_tab":
            return _csv_bytes(rows, delimiter="\t", encoding="utf-16")
        if kind == "utf16_comma":
            return _csv_bytes(rows, encoding="utf-16")
        if kind == "utf16le_nobom":
            return _csv_bytes(rows, encoding="utf-16-le")
        if kind == "utf16be":
            return "\ufeff".encode("utf-16-be") + _csv_bytes(rows, encoding="utf-16-be")
        if kind in ("cp932", "latin1"):
            return _csv_bytes(rows, encoding=kind)
        if kind == "no_bom":
            return _csv_bytes(rows, encoding="utf-8")
        if kind == "double_bom":
            return b"\xef\xbb\xbf" + _csv_bytes(rows)
        if kind in ("crlf", "cr"):
            return _csv_bytes(rows, newline="\r" if kind == "cr" else "\n")
        return _csv_bytes(rows, delimiter=";" if kind == "semicolon" else "\t")
    if op == "cell":
        r, c = cell(p["row"], p["col"])
        if rows[r]:
            rows[r][c] = str(p["value"]) if not isinstance(p["value"], str) else p["value"]
    elif op == "control":
        r, c = cell(p["row"], p["col"])
        if rows[r]:
            rows[r][c] = rows[r][c][:3] + p["char"] + rows[r][c][3:]
    elif op == "long_cell":
        r, c = cell(p["row"], p["col"])
        if rows[r]:
            rows[r][c] = "長" * p["size"]
    elif op == "key":
        keyed = [i for i in body if rows[i] and rows[i][0]]
        if keyed:
            r = keyed[_idx(p["row"], len(keyed))]
            old = rows[r][0]
            rows[r][0] = {"other_row": rows[keyed[_idx(p["row2"], len(keyed))]][0], "garbage": "zz/99#99|1999|", "empty": "",
                          "number": "12345", "other_plan": re.sub(r"^[^/]*", "kashima" if case.plan != "kashima" else "kama", old),
                          "truncated": old[: len(old) // 2], "path": "../../etc/passwd"}[p["kind"]]
    elif op == "foreign_key":
        if foreign is not None:
            frows = _csv_rows(foreign)[1:]
            mine = {r[0] for r in rows[1:] if r}
            frows = [r for r in frows if r and r[0] and r[0] not in mine]
            keyed = [i for i in body if rows[i] and rows[i][0]]
            if frows and keyed:
                fr = frows[_idx(p["at"], len(frows))]
                r = keyed[_idx(p["row"], len(keyed))]
                rows[r] = list(fr) if p["whole_row"] else [fr[0], *rows[r][1:]]
    elif op == "header":
        h = rows[0]
        c1, c2 = _idx(p["col"], len(h)), _idx(p["col2"], len(h))
        kind = p["kind"]
        if kind == "duplicate":
            h[c2] = h[c1]
        elif kind == "rename":
            h[c1] = h[c1] + "（改）"
        elif kind == "delete":
            rows = [r[:c1] + r[c1 + 1:] for r in rows]
        elif kind == "empty":
            h[c1] = ""
        elif kind == "swap":
            h[c1], h[c2] = h[c2], h[c1]
        else:
            rows = [r[:c1] + [r[c1] if c1 < len(r) else ""] + r[c1:] for r in rows]
    elif op == "row":
        keyed = [i for i in body if rows[i]] or [0]
        r = keyed[_idx(p["row"], len(keyed))]
        kind = p["kind"]
        if kind == "duplicate":
            rows.append(list(rows[r]))
        elif kind == "delete":
            del rows[r]
        elif kind == "blank":
            rows[r] = [""] * len(rows[r])
        else:
            rows.insert(r, [])
    elif op == "meta":
        kind = p["kind"]
        meta = rows[0][0] if rows[0] else ""
        new = {"delete": None, "empty": "",
               "version": re.sub(r'"dxplan": \d+', '"dxplan": 99', meta),
               "plan": re.sub(r'"plan": "[^"]*"', '"plan": "other"', meta),
               "department": re.sub(r'"department": [^,]*', '"department": "存在しない課"', meta),
               "years_huge": re.sub(r'"years": \[[^]]*\]', '"years": [1' + "0" * 400 + "]", meta),
               "years_nan": re.sub(r'"years": \[[^]]*\]', '"years": [NaN, Infinity]', meta),
               "not_json": meta[: len(meta) // 2],
               "deep": '{"a":' * 50_000 + "1" + "}" * 50_000}[kind]
        if new is None:
            rows = rows[1:]
        elif rows[0]:
            rows[0][0] = new
    elif op == "grow":
        n = p["count"]
        if p["kind"] == "rows":
            filler = ["x"] * width
            return data + _csv_bytes([filler] * min(n, 200_000), encoding="utf-8")
        if p["kind"] == "columns":
            rows[0] = rows[0] + [f"c{i}" for i in range(min(n, 100_000))]
        else:
            rows[1 if len(rows) > 1 else 0].append("y" * min(n, 2_000_000))
    return _csv_bytes(rows)


def mutate_sheet(case: SheetCase, data: bytes, foreign: bytes | None) -> bytes:
    """The mutated sheet of ``case`` (xlsx or csv) from its exported ``data``."""
    return (mutate_xlsx if case.fmt == "xlsx" else mutate_csv)(case, data, foreign)


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path → sha256), to see what a command changed."""
    import hashlib

    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


def sheet_bytes(case: SheetCase, runner) -> bytes | None:
    """The mutated sheet of ``case``, exporting its base (and foreign) sheet with ``runner``."""
    from .surfaces import _foreign, base_sheet

    base = base_sheet(runner, case.plan, case.fmt, department(case.plan, case.dept))
    if base is None:
        return None
    return mutate_sheet(case, base, _foreign(runner, case) if case.op == "foreign_key" else None)


def main(argv: list[str]) -> int:
    """``python -m tests.fuzz.sheetcases CASE.json OUT``: write the mutated sheet of a recipe."""
    import json
    import sys

    from .oracle import ExecRunner

    if len(argv) != 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    data = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    case = SheetCase.from_json(data.get("case", data))
    out = sheet_bytes(case, ExecRunner())
    if out is None:
        print("export of the bundled plan failed", file=sys.stderr)
        return 1
    Path(argv[1]).write_bytes(out)
    print(argv[1])
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
