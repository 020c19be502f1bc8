"""Write a deterministic corpus of plan folders for scale benchmarks.

Usage::

    python bench/corpus.py OUT --plans N --seed S [--error-rate R]

Writes ``OUT/<nnnn>-<bundled id>/plan.yaml`` and ``.../actions/*.yaml`` for N plans made
from the four bundled plans in ``plans/`` (kama, kashima, iizuka, kurate, in that order,
cycling). Every copy gets its own plan id (``kama-0005``) and its own wording: the plan
title gets a prefix, every action title a suffix naming the copy, and aims and task
results a suffix word drawn from the seed, so that no two written files are byte-equal.
Only plain one-line scalars (``key: text``) are varied, by text substitution on lines,
which keeps the YAML valid and the data otherwise identical; nothing is parsed per copy,
so 1,741 plans (about 89,000 files) take seconds.

With ``--error-rate R`` (a fraction 0–1), ``round(R × action files)`` action files, chosen
by the seed, get one known error each, the kind cycling through :data:`ERROR_KINDS`
(a file that cannot take a kind gets the next one that fits):

- ``unknown-status``: a task's status word replaced by one no plan declares;
- ``unknown-key``: a misspelt top-level key inserted after ``id``;
- ``wrong-type``: ``category: X`` written as a list ``category: [X]``;
- ``invalid-fiscal-year``: a ``fiscal_year`` value replaced by ``来年度``;
- ``yaml-syntax``: the title's value opened with ``[`` and never closed.

``OUT/manifest.json`` lists the injected errors as ``{"file", "rule", "line"}`` (file
relative to OUT with ``/``, ``rule`` the dxplan lint rule id, ``line`` the 1-based line
edited) plus the options used. The same options always give the same bytes.

Exit codes: 0 written, 2 usage error (OUT not empty, bad numbers).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("kama", "kashima", "iizuka", "kurate")

ERROR_KINDS = ("unknown-status", "unknown-key", "wrong-type", "invalid-fiscal-year", "yaml-syntax")

# Suffix words for aims and results: no digits (result and target text may be read for
# numbers), no YAML indicators (': ', ' #', quotes, brackets).
WORDS = (
    "推進", "拡充", "検証", "改善", "継続", "連携", "周知", "展開", "調整", "整備",
    "支援", "点検", "共有", "普及", "充実", "強化", "見直し", "試行", "定着", "評価",
)
UNKNOWN_STATUS = "状態不明"
BAD_FISCAL_YEAR = "来年度"
TYPO_KEYS = ("titel", "categroy", "ownres", "aims", "taks")

# One-line plain scalars that may be varied: top-level title/aim, task result (block style).
_VARIED = re.compile(r"^(?P<key>title|aim|  (?:- )?result|    result): (?P<value>[^'\"\[{|>&*!%@`#\s].*)$")


@dataclass(frozen=True)
class Template:
    """One bundled file split at the lines to vary.

    ``parts`` alternates text and slot names: ``[text, slot, text, slot, ..., text]``, where
    a slot is ``"title"``, ``"aim"`` or ``"result"`` and stands for a suffix appended to the
    end of the previous text (the line's value).
    """

    rel: str
    parts: tuple[str, ...]


def _template(rel: str, text: str) -> Template:
    parts: list[str] = []
    buf: list[str] = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        m = _VARIED.match(body) if rel != "plan.yaml" else None
        if m and " #" not in m["value"] and not m["value"].endswith(":"):
            buf.append(body)
            parts.append("".join(buf))
            parts.append(m["key"].strip(" -"))
            buf = [line[len(body):]]
        else:
            buf.append(line)
    parts.append("".join(buf))
    return Template(rel, tuple(parts))


def load_templates(plans_dir: Path = ROOT / "plans") -> dict[str, list[Template]]:
    """Each bundled plan's files as templates, plan.yaml first, actions sorted by name.

    Raises FileNotFoundError if a bundled plan is missing.
    """
    out: dict[str, list[Template]] = {}
    for pid in BUNDLED:
        folder = plans_dir / pid
        files = [folder / "plan.yaml", *sorted((folder / "actions").glob("*.yaml"))]
        if not files[0].is_file():
            raise FileNotFoundError(files[0])
        out[pid] = [_template(f.relative_to(folder).as_posix(), f.read_text(encoding="utf-8")) for f in files]
    return out


def _fill(t: Template, suffixes: dict[str, str]) -> str:
    parts = t.parts
    return "".join(p if i % 2 == 0 else suffixes[p] for i, p in enumerate(parts))


def _plan_yaml(text: str, pid: str, k: int, word: str) -> str:
    text = re.sub(r"^id: .*$", f"id: {pid}", text, count=1, flags=re.M)
    # a prefix, not a suffix: a title ending with its stage (（案）) must keep ending with it
    return re.sub(r"^title: ", f"title: {word}版{k:04d} ", text, count=1, flags=re.M)


# --- error injection: each returns (new text, 1-based line edited) or None if it does not fit.

def _sub_line(text: str, pattern: str, repl) -> tuple[str, int] | None:
    lines = text.split("\n")
    rx = re.compile(pattern)
    for i, line in enumerate(lines):
        new, n = rx.subn(repl, line, count=1)
        if n:
            lines[i] = new
            return "\n".join(lines), i + 1
    return None


def _inject(kind: str, text: str, typo: str) -> tuple[str, int] | None:
    if kind == "unknown-status":
        return _sub_line(text, r"^(\s+(?:- )?status: )\S.*$", lambda m: m[1] + UNKNOWN_STATUS)
    if kind == "unknown-key":
        hit = _sub_line(text, r"^id: .*$", lambda m: m[0] + f"\n{typo}: 誤記")
        return (hit[0], hit[1] + 1) if hit else None
    if kind == "wrong-type":
        return _sub_line(text, r"^category: (\S+)\s*$", lambda m: f"category: [{m[1]}]")
    if kind == "invalid-fiscal-year":
        return _sub_line(text, r"fiscal_year: [^,}\s]+", f"fiscal_year: {BAD_FISCAL_YEAR}")
    if kind == "yaml-syntax":
        return _sub_line(text, r"^title: ", "title: [")
    raise ValueError(kind)


def generate(out: Path, plans: int, seed: int, error_rate: float = 0.0) -> dict:
    """Write ``plans`` plan folders under ``out`` (created; must be empty) and the manifest.

    Returns the manifest: ``{"plans", "seed", "error_rate", "files", "action_files",
    "errors": [{"file", "rule", "line"}, ...]}`` (errors sorted by file). Raises ValueError
    for a negative count or a rate outside 0–1.
    """
    if plans < 0 or not 0.0 <= error_rate <= 1.0:
        raise ValueError("plans must be ≥ 0 and error_rate within 0–1")
    templates = load_templates()
    rng = random.Random(seed)
    copies = []  # (folder name, [(rel, text)])
    for k in range(plans):
        base = BUNDLED[k % len(BUNDLED)]
        pid = f"{base}-{k + 1:04d}"
        words = rng.sample(WORDS, 3)
        tag = f"{rng.getrandbits(16):04x}"
        suffixes = {
            "title": f"（{words[0]}・{pid}・{tag}）",
            "aim": f" {words[1]}を図ります",
            "result": f" ・{words[2]}",
        }
        files = []
        for t in templates[base]:
            text = _fill(t, suffixes)
            if t.rel == "plan.yaml":
                text = _plan_yaml(text, pid, k + 1, words[0])
            files.append((t.rel, text))
        copies.append((f"{k + 1:04d}-{base}", files))

    action_slots = [(c, f) for c, (_, files) in enumerate(copies) for f, (rel, _) in enumerate(files) if rel != "plan.yaml"]
    n_err = round(error_rate * len(action_slots))
    err_rng = random.Random(f"dxplan-corpus-errors-{seed}")
    chosen = sorted(err_rng.sample(range(len(action_slots)), n_err))
    errors = []
    for j, slot in enumerate(chosen):
        c, f = action_slots[slot]
        folder, files = copies[c]
        rel, text = files[f]
        for step in range(len(ERROR_KINDS)):
            kind = ERROR_KINDS[(j + step) % len(ERROR_KINDS)]
            hit = _inject(kind, text, TYPO_KEYS[j % len(TYPO_KEYS)])
            if hit:
                files[f] = (rel, hit[0])
                errors.append({"file": f"{folder}/{rel}", "rule": kind, "line": hit[1]})
                break

    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    n_files = 0
    for folder, files in copies:
        (out / folder / "actions").mkdir(parents=True)
        for rel, text in files:
            with open(out / folder / rel, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            n_files += 1
    manifest = {
        "plans": plans,
        "seed": seed,
        "error_rate": error_rate,
        "files": n_files,
        "action_files": len(action_slots),
        "errors": errors,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def write_in_child(out: Path, plans: int, seed: int = 0) -> None:
    """:func:`generate` run as a child process (this module as a script), so that a benchmark's own process does
    not hold the corpus's templates and text while it measures. Raises CalledProcessError when it fails."""
    import subprocess

    subprocess.run([sys.executable, str(Path(__file__)), str(out), "--plans", str(plans), "--seed", str(seed)],
                   check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    """Command line: parse options, generate, print a one-line summary; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output folder (created; must be empty)")
    ap.add_argument("--plans", type=int, required=True, help="number of plan folders")
    ap.add_argument("--seed", type=int, default=0, help="seed for wording and error placement")
    ap.add_argument("--error-rate", type=float, default=0.0, help="fraction of action files given one error")
    args = ap.parse_args(argv)
    try:
        m = generate(args.out, args.plans, args.seed, args.error_rate)
    except (ValueError, FileExistsError) as exc:
        print(f"corpus.py: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {m['plans']} plans, {m['files']} files, {len(m['errors'])} injected errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
