"""The standalone checker: formats, exit codes, usage errors, unreadable files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from site_builder.dockerfile.cli import main
from site_builder.dockerfile.codes import CODES

GOOD = 'FROM alpine:3.19\nCMD ["true"]\n'
WARN = "FROM alpine:3.19\nCMD true\n"
BAD = "FORM alpine:3.19\n"


def run(args: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_text_format_and_exit_codes(tmp_path: Path) -> None:
    good, warn, bad = (
        write(tmp_path, "good", GOOD),
        write(tmp_path, "warn", WARN),
        write(tmp_path, "bad", BAD),
    )
    assert run([good]) == (0, "", "1 file checked: 0 error(s), 0 warning(s), 0 info\n")
    code, out, err = run([warn])
    assert code == 0
    assert (
        out
        == f"{warn}:2:5: warning JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals\n"
    )
    code, out, err = run([good, bad])
    assert code == 1
    assert out == f"{bad}:1:1: error DF001: unknown instruction: FORM (did you mean FROM?)\n"
    assert err == "2 files checked: 1 error(s), 0 warning(s), 0 info\n"


def test_json_format(tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", WARN)
    code, out, _ = run(["--format", "json", path])
    assert code == 0
    (record,) = json.loads(out)
    assert {k: record[k] for k in ("path", "line", "column", "end_line", "end_column", "severity", "code")} == {
        "path": path, "line": 2, "column": 5, "end_line": 2, "end_column": 8, "severity": "warning",
        "code": "JSONArgsRecommended",
    }  # fmt: skip
    assert record["message"].startswith("JSON arguments recommended for CMD")


def test_sarif_format(tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", BAD)
    code, out, _ = run(["--format=sarif", path])
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][: len(CODES)] == list(CODES)
    (result,) = run_["results"]
    assert result["ruleId"] == "DF001" and result["level"] == "error"
    assert rules[result["ruleIndex"]]["id"] == "DF001"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (1, 1)


def test_ast_format(tmp_path: Path) -> None:
    one, two = write(tmp_path, "a", GOOD), write(tmp_path, "b", BAD)
    code, out, _ = run(["--format", "ast", one])
    assert (code, out) == (0, '(from "alpine:3.19")\n(cmd "true")\n')
    code, out, err = run(["--format", "ast", one, two])
    assert code == 1
    assert out == f'# {one}\n(from "alpine:3.19")\n(cmd "true")\n# {two}\n(form "")\n'
    assert "DF001" in err


def test_no_hints_and_stdin() -> None:
    text = "FROM ubuntu\n"
    assert "DH010" in run(["-"], stdin=text)[1]
    assert run(["--no-hints", "-"], stdin=text)[1] == ""


def test_list_rules() -> None:
    code, out, _ = run(["--list-rules"])
    assert code == 0
    assert out.splitlines()[0].startswith("DF001")
    assert len(out.splitlines()) == len(CODES)
    rows = json.loads(run(["--list-rules", "--format", "json"])[1])
    assert rows[0]["code"] == "DF001" and rows[0]["severity"] == "error"


def test_usage_errors(tmp_path: Path) -> None:
    assert run([])[0] == 2
    code, _, err = run([str(tmp_path / "missing")])
    assert code == 2 and "no such file" in err
    code, _, err = run([str(tmp_path)])
    assert code == 2 and "is a directory" in err
    assert run(["--format", "yaml", "x"])[0] == 2
    assert run(["--help"])[0] == 0


def test_a_file_that_is_not_utf8_is_read_as_buildkit_reads_it(tmp_path: Path) -> None:
    # BuildKit reads bytes: a Latin-1 comment or word passes; the dump shows the byte as Go's
    # %q does (\\xe9), and a word Go builds rune by rune holds U+FFFD instead.
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM alpine:3.19\n# caf\xe9\nRUN echo caf\xe9\nENV A=\xe9\n")
    code, out, _ = run([str(path)])
    assert code == 0 and "error" not in out and "DF050" not in out
    code, out, _ = run(["--format", "ast", str(path)])
    assert code == 0
    assert out.splitlines() == [
        '(from "alpine:3.19")',
        '(run "echo caf\\xe9")',
        '(env "A" "\ufffd" "=")',
    ]
