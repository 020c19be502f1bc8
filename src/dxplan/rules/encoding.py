"""A plan file that is not UTF-8 (e.g. saved as Shift_JIS by Excel or Notepad).

Why: dxplan reads UTF-8 only; guessing another encoding would garble Japanese text silently.

Fix: Save the file as UTF-8 (in Excel or Notepad: 名前を付けて保存 → UTF-8).

Passing: a file saved as UTF-8.

Failing: the same text saved as Shift_JIS; the position is that of the first byte that is not UTF-8.
"""

from dxplan.i18n import N_

ID = "encoding"
SEVERITY = "error"
MESSAGE = N_(
    "not UTF-8 (first bad byte {byte}); save the file as UTF-8 (Shift_JIS is not accepted)."
)
