"""Output formats of the standalone checker: text, JSON, SARIF 2.1.0 and the rule table.

Text is one `path:line:col: severity CODE: message` per line (what editors jump to); JSON is a
list of objects with `path, line, column, end_line, end_column, severity, code, message` (and
`hint` when there is one); SARIF carries every rule of `codes.CODES` so code-scanning UIs can
show titles and help; a hint goes with its result's message (the file validates against the
SARIF 2.1.0 schema).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable

from ..diagnostics.diagnostic import Diagnostic, Severity
from ..diagnostics.printable import json_safe
from .codes import CODES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    """One line per diagnostic; `Diagnostic.format()` neutralises what the file could print."""
    return "".join(d.format() + "\n" for d in diagnostics)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    encoded = json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False)
    return json_safe(encoded) + "\n"


def _rule(code: str) -> dict[str, object]:
    entry = CODES.get(code)
    if entry is None:  # a hadolint id
        return {"id": code, "name": code, "shortDescription": {"text": f"hadolint {code}"}}
    return {
        "id": entry.id,
        "name": entry.id,
        "shortDescription": {"text": entry.title},
        "help": {"text": entry.fix},
        "defaultConfiguration": {"level": _SARIF_LEVEL[entry.severity]},
        "properties": {
            "layer": entry.layer,
            "kind": entry.kind,
            **({"hadolint": entry.hadolint} if entry.hadolint else {}),
        },
    }


def _uri(path: str) -> str:
    """A SARIF artifact location: the path as a URI reference (spaces, `%`, `#` encoded)."""
    return urllib.parse.quote(path.replace("\\", "/"), safe="/:@!$&'()*+,;=-._~")


def format_sarif(diagnostics: Iterable[Diagnostic], *, version: str = "0") -> str:
    found = list(diagnostics)
    rule_ids = list(CODES) + sorted({d.code for d in found} - set(CODES))
    index = {code: i for i, code in enumerate(rule_ids)}
    results = []
    for d in found:
        region = {
            "startLine": d.line,
            "startColumn": d.column,
            "endLine": d.end_line if d.end_line is not None else d.line,
            "endColumn": (d.end_column if d.end_column is not None else d.column) + 1,
        }
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": _uri(d.path)}, "region": region}}
            ],
        }
        if d.hint:
            # a hint says what to do; it is not a SARIF fix, which must carry at least one
            # artifact change (the schema's minItems 1): it goes with the message instead
            message = {"text": f"{d.message}\nhint: {d.hint}"}
            result["message"] = message
            result["properties"] = {"hint": d.hint}
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "site_builder-dockerfile",
                        "version": version,
                        "informationUri": "https://docs.docker.com/reference/build-checks/",
                        "rules": [_rule(code) for code in rule_ids],
                    }
                },
                "results": results,
            }
        ],
    }
    return json_safe(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"


def format_rules(fmt: str) -> str:
    """The code table, for `--list-rules`."""
    if fmt in ("json", "sarif"):
        rows = [
            {
                "code": c.id,
                "severity": c.severity.value,
                "kind": c.kind,
                "layer": c.layer,
                "title": c.title,
                "fix": c.fix,
                "hadolint": c.hadolint,
            }
            for c in CODES.values()
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    width = max(len(code) for code in CODES)
    lines = [
        f"{c.id:<{width}}  {c.severity.value:<7}  {c.title}  — {c.fix}" for c in CODES.values()
    ]
    return "\n".join(lines) + "\n"
