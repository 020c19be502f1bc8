"""A plan file cannot be read (permissions, a folder named like a file …).

Passing: a readable file. Failing: ``actions/01.yaml`` without read permission.
No YAML example applies; see tests/test_load.py.
"""

from ..i18n import N_

ID = "io-error"
SEVERITY = "error"
MESSAGE = N_(
    "cannot read the file ({reason}); check its permissions and type."
)
