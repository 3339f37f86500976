"""`build-site dockerfile --format sarif` validates against the official SARIF 2.1.0 schema.

The schema is OASIS's `sarif-schema-2.1.0.json` (as published with the standard), kept in
`tests/fixtures/schemas/` so the test runs offline. A hint used to become a `fixes` entry with
no artifact change, which the schema forbids (`minItems: 1`): readers may reject such a file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema

from site_builder.dockerfile.cli import main

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "fixtures/schemas/sarif-schema-2.1.0.json").read_text()
)
# errors, warnings with hints, a note, a build check: every kind of result the checker writes
DOCKERFILE = """\
FORM alpine:3.19
FROM ubuntu:latest AS Build
RUN apt-get update
RUN apt-get install curl
WORKDIR app
COPY --from=biuld /x /y
CMD echo hi
"""


def sarif(tmp_path: Path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    main(["--format=sarif", str(path)], stdout=out, stderr=err, stdin=io.StringIO())
    return json.loads(out.getvalue())


def test_the_log_is_valid_sarif_2_1_0(tmp_path: Path) -> None:
    log = sarif(tmp_path, "Dockerfile", DOCKERFILE)
    results = log["runs"][0]["results"]
    assert len(results) >= 5
    assert any("hint" in r.get("properties", {}) for r in results)
    validator = jsonschema.Draft7Validator(SCHEMA)
    problems = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not problems, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in problems)


def test_no_result_carries_a_fix_without_a_change(tmp_path: Path) -> None:
    for result in sarif(tmp_path, "Dockerfile", DOCKERFILE)["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            assert fix["artifactChanges"], result


def test_a_hint_is_shown_with_its_message(tmp_path: Path) -> None:
    results = sarif(tmp_path, "Dockerfile", "FROM alpine\nWORKDIR app\n")["runs"][0]["results"]
    hinted = [r for r in results if "hint" in r.get("properties", {})]
    assert hinted
    for result in hinted:
        assert result["message"]["text"].endswith("\nhint: " + result["properties"]["hint"])


def test_a_path_with_spaces_is_a_uri_reference(tmp_path: Path) -> None:
    log = sarif(tmp_path, "my Dockerfile#1", "FORM x\n")
    [result] = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("/my%20Dockerfile%231")
    assert " " not in uri
