"""A plan file with no data (empty, or only comments).

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (1:1)::

    # nothing yet
"""

ID = "empty-file"
SEVERITY = "error"
MESSAGE = {
    "ja": "ファイルが空です。内容を書くか、不要ならファイルを削除してください。",
    "en": "the file is empty; fill it in or delete it.",
}
