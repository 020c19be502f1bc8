"""A plan file that is not UTF-8 (e.g. saved as Shift_JIS by Excel or Notepad).

Passing: a file saved as UTF-8. Failing: the same text saved as Shift_JIS; the
position is that of the first byte that is not UTF-8. No YAML example applies
(the problem is the bytes); see tests/test_load.py.
"""

from ..i18n import N_

ID = "encoding"
SEVERITY = "error"
MESSAGE = N_(
    "not UTF-8 (first bad byte {byte}); save the file as UTF-8 (Shift_JIS is not accepted)."
)
