"""SARIF 2.1.0 for code scanning: one run, one result per problem, rules from the registry."""

from __future__ import annotations

from dxplan import __version__
from dxplan.output.jsonout import dumps
from dxplan.rules import load_rules
from .rule_help import rule_help, summary
from .text_format import _rel


def format(result, lang: str = "ja") -> str:
    rules = load_rules()
    used = sorted({p.rule for p in result.problems})
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dxplan",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r,
                                "shortDescription": {"text": summary(rules[r], lang)},
                                "help": {"text": rule_help(rules[r], lang)},
                                "defaultConfiguration": {"level": rules[r].SEVERITY},
                            }
                            for r in used
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": p.rule,
                        "level": "error" if p.severity == "error" else "warning",
                        "message": {"text": p.message(lang)},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": _rel(p.path)},
                                    "region": {"startLine": p.line, "startColumn": p.column},
                                }
                            }
                        ],
                    }
                    for p in result.problems
                ],
            }
        ],
    }
    return dumps(sarif)
