"""Benchmark of the Dockerfile checker: parse + check throughput in lines per second.

    python bench/dockerfile_bench.py [--blocks 4000] [--seed 7] [--repeat 3] [--json]
    python bench/dockerfile_bench.py --corpus OUTDIR

--corpus reads the ```dockerfile blocks of a corpus made by
`python3 ../shared/bench/gen_corpus.py OUTDIR --posts N`.

Without --corpus it generates a deterministic set of blog-sized Dockerfiles (about 22 lines
each: multi-stage builds, heredocs, continuations, a few mistakes). Prints a table, or JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from site_builder.dockerfile import check_dockerfile, parse
from site_builder.dockerfile.memo import use_memo

_FENCE = re.compile(r"^```(?:dockerfile|docker|containerfile)[^\n]*\n(.*?)^```", re.M | re.S | re.I)

_NODE = """# syntax=docker/dockerfile:1
ARG NODE_VERSION=20
FROM node:${NODE_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

FROM node:${NODE_VERSION}-alpine AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build \\
    && npm prune --omit=dev

FROM gcr.io/distroless/nodejs20-debian12
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/dist ./dist
COPY --from=deps /app/node_modules ./node_modules
EXPOSE {port}
USER nonroot
CMD ["dist/server.js"]
"""
_PYTHON = """FROM python:3.{minor}-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt
COPY . .

FROM python:3.{minor}-slim
LABEL org.opencontainers.image.source="https://example.com/{name}"
COPY --from=build /install /usr/local
COPY --from=build /src /app
WORKDIR /app
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "print(1)"]
EXPOSE {port}/tcp
ENTRYPOINT ["python", "-m", "{name}"]
"""
_GO = """FROM golang:1.22 AS build
WORKDIR /go/src/{name}
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN <<EOF
set -eux
CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/{name} ./cmd/{name}
EOF

FROM scratch
COPY --from=build /out/{name} /{name}
ENTRYPOINT ["/{name}"]
"""
_BLOATED = """FROM ubuntu:latest
MAINTAINER someone@example.com
RUN apt-get update
RUN apt-get install -y build-essential curl python3-pip
ADD . /app
WORKDIR app
RUN pip install flask
ENV SECRET_TOKEN abc
RUN npm install
CMD python3 app.py
FORM alpine
"""
TEMPLATES = (_NODE, _PYTHON, _GO, _BLOATED)


def generated(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    blocks = []
    for i in range(count):
        template = TEMPLATES[0 if i % 7 < 3 else 1 if i % 7 < 5 else 2 if i % 7 < 6 else 3]
        blocks.append(
            template.replace("{port}", str(rng.randint(1024, 9999)))
            .replace("{minor}", str(rng.choice((10, 11, 12))))
            .replace("{name}", f"svc{rng.randint(1, 999)}")
        )
    return blocks


def from_corpus(root: Path) -> list[str]:
    blocks = []
    for path in sorted(root.rglob("*.md")):
        blocks += _FENCE.findall(path.read_text(encoding="utf-8"))
    return blocks


def _timed(
    blocks: list[str], repeat: int, fn: Callable[[str], object], memo: bool
) -> tuple[float, float]:
    """Best wall-clock and CPU seconds over `repeat` runs, each starting with empty memos."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        use_memo(memo)
        start, start_cpu = time.perf_counter(), time.process_time()
        for text in blocks:
            fn(text)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def _no_hints(text: str) -> object:
    return check_dockerfile(text, hints=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Dockerfile checker benchmark")
    parser.add_argument("--blocks", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="a gen_corpus.py output directory")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--memo",
        action="store_true",
        help="keep the per-snippet/per-instruction memo on (as a site build does)",
    )
    args = parser.parse_args(argv)
    blocks = from_corpus(args.corpus) if args.corpus else generated(args.blocks, args.seed)
    lines = sum(text.count("\n") + (not text.endswith("\n")) for text in blocks)
    phases: dict[str, Callable[[str], object]] = {
        "parse": parse,
        "check": check_dockerfile,
        "check_no_hints": _no_hints,
    }
    results: dict[str, object] = {
        "source": str(args.corpus) if args.corpus else f"generated(seed={args.seed})",
        "blocks": len(blocks),
        "unique_blocks": len(set(blocks)),
        "lines": lines,
        "repeat": args.repeat,
        "memo": args.memo,
    }
    for name, fn in phases.items():
        wall, cpu = _timed(blocks, args.repeat, fn, args.memo)
        results[f"{name}_wall_seconds"] = round(wall, 4)
        results[f"{name}_cpu_seconds"] = round(cpu, 4)
        results[f"{name}_lines_per_second_wall"] = round(lines / wall) if wall else 0
        results[f"{name}_lines_per_second_cpu"] = round(lines / cpu) if cpu else 0
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    unique = results["unique_blocks"]
    memo = "memo on" if args.memo else "memo off"
    print(f"{len(blocks)} blocks ({unique} unique), {lines} lines, best of {args.repeat}, {memo}")
    print(f"{'phase':<20}{'wall s':>9}{'cpu s':>9}{'lines/s wall':>15}{'lines/s cpu':>14}")
    labels = {"parse": "parse", "check": "parse+check+hints", "check_no_hints": "parse+check"}
    for name, label in labels.items():
        row = [results[name + suffix] for suffix in ("_wall_seconds", "_cpu_seconds")]
        rates = [
            results[name + suffix] for suffix in ("_lines_per_second_wall", "_lines_per_second_cpu")
        ]
        print(f"{label:<20}{row[0]!s:>9}{row[1]!s:>9}{rates[0]:>15,}{rates[1]:>14,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
