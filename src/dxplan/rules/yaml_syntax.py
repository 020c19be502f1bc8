"""YAML that does not parse (a bad indent, an unclosed quote or bracket, a tab …).

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (3:9)::

    id: '1'
    title: [例
    category: A-1
"""

ID = "yaml-syntax"
SEVERITY = "error"
MESSAGE = {
    "ja": "YAML の構文エラー: {detail}。この位置の前後のインデント・引用符・括弧を確認してください。",
    "en": "YAML syntax error: {detail}. Check indentation, quotes and brackets around this position.",
}
