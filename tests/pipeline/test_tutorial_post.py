"""A tutorial written the way tutorials are: fragments, placeholders, a file shown in parts, a
compose file under the wrong label, a variable to set, and a draft with a typo. `check` reports
the one real error, at its line, and nothing else that is not true."""

from __future__ import annotations

from conftest import run_cli

TUTORIAL = """\
---
title: Smaller Python images
date: 2024-03-01
tags: [Docker, Python]
description: From 1 GB to 60 MB in four steps.
---
Start from the base your registry mirrors. First, tell the shell where it is:

```sh
export REGISTRY=ghcr.io/you
```

The first part of the Dockerfile:

```dockerfile {file="Dockerfile"}
# escape=`
FROM ${REGISTRY}/python:3.12-slim AS build
WORKDIR /src
```

Then the dependencies, in the same file:

```dockerfile {file="Dockerfile"}
COPY requirements.txt .
RUN pip install --no-cache-dir `
      -r requirements.txt
FROM cgr.dev/ORG/python:<version>
COPY --from=build /src /app
COPY --chmod=u+q app.py /app/
```

Only these lines change in the next step:

```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \\
    && rm -rf /var/lib/apt/lists/*
...
```

And the compose file that runs it:

```dockerfile
services:
  app:
    image: app:slim
    ports:
      - "8000:8000"
```
"""

DRAFT = """\
---
title: Next part
date: 2024-03-08
tags: [Docker]
published: false
---
```dockerfile
FORM alpine:3.20
```
"""


def test_only_the_real_error_is_an_error_and_it_is_at_its_line(make_site):
    root = make_site(
        {
            "content/posts/smaller-python-images.md": TUTORIAL,
            "content/posts/next-part.md": DRAFT,
            "site.toml": 'title = "T"\n[dockerfile]\nhadolint = "off"\n',
        }
    )
    result = run_cli("check", "--root", root, "--format", "json")
    import json

    found = json.loads(result.stdout)
    errors = [
        (d["path"], d["line"], d["column"], d["code"]) for d in found if d["severity"] == "error"
    ]
    # COPY --chmod=u+q: BuildKit's "invalid syntax" for a symbolic mode it cannot apply, line 29
    assert errors == [("content/posts/smaller-python-images.md", 29, 6, "DF047")], found
    by_code = {(d["path"].rsplit("/", 1)[1], d["line"], d["code"]) for d in found}
    assert ("smaller-python-images.md", 42, "MD006") in by_code  # one for the whole compose block
    assert ("smaller-python-images.md", 34, "MD005") in by_code  # the fragment: one note
    assert ("next-part.md", 8, "DF001") in by_code  # the draft's typo, as a warning
    (draft_typo,) = [d for d in found if d["code"] == "DF001"]
    assert draft_typo["severity"] == "warning"
    assert not [d for d in found if d["code"] in ("DF011", "DF045", "UndefinedArgInFrom")]
    assert result.returncode == 1
