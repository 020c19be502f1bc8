"""A plan file cannot be read (permissions, a folder named like a file …).

Why: A file that cannot be read is left out of every count.

Fix: Check the file's permissions and that it is a regular file.

Passing: a readable file.

Failing: ``actions/01.yaml`` without read permission.
"""

from dxplan.i18n import N_

ID = "io-error"
SEVERITY = "error"
MESSAGE = N_(
    "cannot read the file ({reason}); check its permissions and type."
)
