"""A plan file cannot be read (permissions, a folder named like a file …).

Passing: a readable file. Failing: ``actions/01.yaml`` without read permission.
No YAML example applies; see tests/test_load.py.
"""

ID = "io-error"
SEVERITY = "error"
MESSAGE = {
    "ja": "ファイルを読めません（{reason}）。ファイルの権限と種類を確認してください。",
    "en": "cannot read the file ({reason}); check its permissions and type.",
}
