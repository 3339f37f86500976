"""The repository's own Dockerfile must pass our checker without a single diagnostic."""

from __future__ import annotations

from pathlib import Path

from site_builder.dockerfile import check_dockerfile, dump, parse

ROOT = Path(__file__).resolve().parents[2]


def test_repository_dockerfile_is_clean() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    report = check_dockerfile(text, path="Dockerfile")
    assert report.diagnostics == ()
    assert report.stages == ("build", "")
    dumped = dump(parse(text))
    assert '(run "pip install --no-cache-dir .")' in dumped
    assert '(copy ["--from=build"] "/src/output" "/usr/share/nginx/html")' in dumped
