"""Run every dxplan command on the bundled plans and keep what each printed and wrote, for comparison.

Usage::

    python tools/snapshot_outputs.py OUT_DIR        # record
    diff -r OUT_BEFORE OUT_AFTER                     # compare two records

Each command's standard output, standard error and exit code go to ``OUT_DIR/<name>.out``; files a
command writes (reports, sheets, an initialised repository) are copied beside it (an xlsx workbook as
its cells, one line per cell, since the zip itself holds timestamps). Run it from the repository root
with the ``dxplan`` of the environment to check (``.venv/bin/python tools/snapshot_outputs.py``). The
results cache is kept in a temporary folder so that a record does not depend on earlier runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANS = ("kama", "kashima", "iizuka", "kurate")
#: A revision of this repository whose plans differ from today's (for ``dxplan diff``).
DIFF_BASE = "3c624f8"
DIFF_HEAD = "530044e"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "snapshot", "GIT_AUTHOR_EMAIL": "s@example.invalid", "GIT_COMMITTER_NAME": "snapshot",
    "GIT_COMMITTER_EMAIL": "s@example.invalid", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+09:00",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+09:00", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def commands() -> list[tuple[str, list[str]]]:
    """(name, argv after ``dxplan``) for every command and the options that change what it prints."""
    cmds: list[tuple[str, list[str]]] = [("help", ["--help"]), ("rules", ["rules"]), ("rules-en", ["--lang", "en", "rules"]),
                                         ("schema", ["schema"]), ("lint-all", ["lint", "plans"]), ("fmt-check", ["fmt", "--check", "plans"])]
    for sub in ("lint", "rules", "status", "score", "compare", "crosswalk", "report", "diff", "fmt", "schema", "export", "import", "history", "init", "new", "publish"):
        cmds.append((f"help-{sub}", [sub, "--help"]))
    for p in PLANS:
        d = f"plans/{p}"
        cmds += [
            (f"{p}-lint", ["lint", d]), (f"{p}-lint-json", ["lint", d, "-f", "json"]), (f"{p}-lint-sarif", ["lint", d, "-f", "sarif"]),
            (f"{p}-lint-github", ["lint", d, "-f", "github"]), (f"{p}-lint-en", ["--lang", "en", "lint", d, "--strict"]),
            (f"{p}-status", ["status", d]), (f"{p}-status-en", ["status", d, "--lang", "en"]),
            (f"{p}-status-json", ["status", d, "-f", "json"]), (f"{p}-status-md", ["status", d, "-f", "markdown"]),
            (f"{p}-score", ["score", d]), (f"{p}-score-explain", ["score", d, "--explain"]),
            (f"{p}-score-json", ["score", d, "-f", "json"]), (f"{p}-score-en", ["score", d, "--lang", "en"]),
            (f"{p}-report-md", ["report", d]), (f"{p}-report-md-audit", ["report", d, "--audit"]),
            (f"{p}-report-md-en", ["report", d, "--lang", "en"]),
            (f"{p}-report-html", ["report", d, "--format", "html", "-o", "{out}/" + p + "-report.html"]),
            (f"{p}-history", ["history", d]), (f"{p}-history-json", ["history", d, "-f", "json"]),
            (f"{p}-history-md", ["history", d, "-f", "markdown"]),
            (f"{p}-export-csv", ["export", d, "-f", "csv", "-o", "{out}/" + p + ".csv"]),
            (f"{p}-export-json", ["export", d, "-f", "json", "-o", "{out}/" + p + ".json"]),
            (f"{p}-export-xlsx", ["export", d, "-f", "xlsx", "-o", "{out}/" + p + ".xlsx"]),
            (f"{p}-import-dry", ["import", "{out}/" + p + ".csv", d, "--dry-run"]),
        ]
        for by in ("category", "department", "action", "indicator"):
            cmds.append((f"{p}-status-by-{by}", ["status", d, "--by", by]))
    cmds += [
        ("diff", ["diff", DIFF_BASE, DIFF_HEAD]), ("diff-md", ["diff", DIFF_BASE, DIFF_HEAD, "-f", "markdown"]),
        ("diff-json", ["diff", DIFF_BASE, DIFF_HEAD, "-f", "json"]), ("diff-en", ["--lang", "en", "diff", DIFF_BASE, DIFF_HEAD]),
        ("status-many", ["status", "plans"]), ("score-action", ["score", "plans/kama", "--action", "001", "--explain"]),
        ("status-year", ["status", "plans/kama", "--year", "R6"]),
        ("publish", ["publish", "plans", "-o", "{out}/opendata", "--no-history"]), ("publish-schema", ["publish", "--schema"]),
        ("compare", ["compare", "plans"]), ("compare-json", ["compare", "plans", "-f", "json"]),
        ("compare-csv", ["compare", "plans", "-f", "csv"]), ("compare-md", ["compare", "plans", "-f", "markdown"]),
        ("crosswalk", ["crosswalk", "plans"]), ("crosswalk-json", ["crosswalk", "plans", "-f", "json"]),
        ("init", ["init", "{out}/init-repo", "--no-ask", "--municipality", "例市", "--prefecture", "福岡県", "--period-start", "R7",
                  "--period-end", "R9", "--category", "I=くらし", "--department", "総務課", "--preset", "kama"]),
        ("new", ["new", "{out}/init-repo", "--title", "窓口のオンライン化", "--category", "I", "--department", "総務課"]),
        ("usage-error", ["status", "plans/kama", "--bogus"]), ("bad-year", ["status", "plans/kama", "--year", "R99x"]),
    ]
    return cmds


def xlsx_cells(path: Path) -> str:
    """Every non-empty cell of a workbook as ``sheet!A1 = value`` lines, plus its data validations."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"[{ws.title}] state={ws.sheet_state} protection={ws.protection.sheet}")
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    lines.append(f"{ws.title}!{c.coordinate} = {c.value!r} fmt={c.number_format}")
        for dv in ws.data_validations.dataValidation:
            lines.append(f"{ws.title} validation {dv.sqref} {dv.type} {dv.formula1}")
    return "\n".join(lines) + "\n"


def main(out: Path) -> int:
    """Record every command of :func:`commands` into ``out`` (created; must not exist)."""
    out.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="dxplan-snapshot-"))
    env = {**os.environ, **GIT_ENV, "DXPLAN_CACHE_DIR": str(work / "cache"), "COLUMNS": "120", "NO_COLOR": "1"}
    env.pop("DXPLAN_LANG", None)
    dxplan = shutil.which("dxplan", path=str(Path(sys.executable).parent)) or "dxplan"
    for name, argv in commands():
        args = [a.replace("{out}", str(work)) for a in argv]
        proc = subprocess.run([dxplan, *args], cwd=ROOT, env=env, capture_output=True, text=True)
        text = proc.stdout.replace(str(work), "<out>") + "\n--- stderr\n" + proc.stderr.replace(str(work), "<out>")
        (out / f"{name}.out").write_text(f"$ dxplan {' '.join(argv)}\nexit {proc.returncode}\n{text}", encoding="utf-8")
    for f in sorted(work.rglob("*")):
        if f.is_file() and "cache" not in f.relative_to(work).parts[:1] and ".git" not in f.parts:
            dest = out / "files" / f.relative_to(work)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if f.suffix == ".xlsx":
                dest.with_suffix(".xlsx.txt").write_text(xlsx_cells(f), encoding="utf-8")
            else:
                shutil.copyfile(f, dest)
    shutil.rmtree(work)
    print(f"{len(commands())} commands recorded in {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        raise SystemExit(2)
    raise SystemExit(main(Path(sys.argv[1])))
