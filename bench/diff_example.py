"""Build the two-commit plans/kama repository of tests/test_diff.py in a temporary folder and print its diff.

Usage: .venv/bin/python bench/diff_example.py [markdown|text|json] [ja|en]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import test_diff  # noqa: E402

fmt = sys.argv[1] if len(sys.argv) > 1 else "markdown"
lang = sys.argv[2] if len(sys.argv) > 2 else "ja"
with tempfile.TemporaryDirectory() as tmp:
    repo = test_diff.make_repo(Path(tmp))
    result = test_diff.run("diff", "HEAD~1", "HEAD", "--format", fmt, "--lang", lang, cwd=repo)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
