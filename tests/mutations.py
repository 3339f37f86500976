"""A short mutation check: known bugs put back one at a time, each must fail its related tests.

    python tests/mutations.py            # every mutation (about a minute)
    python tests/mutations.py --list     # the mutations, with their files and tests
    python tests/mutations.py tag-page   # those whose name contains "tag-page"

Each mutation is a real bug a user would see (most were found surviving the suite once): a file,
the exact text to replace (it must occur once), the replacement, and the tests that must notice.
The checkout is copied to a temporary folder first and mutated there, one mutation at a time,
restored after each (on Ctrl-C too), and the copy is deleted at the end: the working tree is
never touched. Before any mutation, the related tests must pass on the unmutated copy.

It prints one line per mutation, `killed` or `SURVIVED` (with the seconds its tests took), and
exits with 1 if any survived. Not collected by pytest (the name does not start with `test_`)
and not run in CI: it runs the related tests once per mutation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class Mutation:
    name: str
    path: str  # relative to the repository
    original: str  # must occur exactly once in the file
    replacement: str
    tests: tuple[str, ...]  # pytest node ids or files


_BY_CODE_ONLY = """def _by_code_only(function):  # type: ignore[no-untyped-def]
    memo = {}

    def wrapper(code, *args):  # type: ignore[no-untyped-def]
        if code not in memo:
            memo[code] = function(code, *args)
        return memo[code]

    return wrapper


@_by_code_only
def highlight_lines("""

CACHE_KEYS = "tests/pipeline/test_cache_keys.py"
BUILD_CHECKS = "tests/dockerfile/test_dockerfile_build_checks.py"
MEMOS = "tests/markup/test_memos.py"
TAG_PAGES = "tests/render/test_tag_pages.py"

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "document-index-key-never-verified",
        "site_builder/cache/store.py",
        "                elif loaded.key == self.key:",
        "                elif True:",
        (CACHE_KEYS,),
    ),
    Mutation(
        "highlight-memo-keyed-by-code-only",
        "site_builder/markup/highlight.py",
        "@functools.lru_cache(maxsize=4096)\ndef highlight_lines(",
        _BY_CODE_ONLY,
        (MEMOS,),
    ),
    Mutation(
        "dockerfile-diagnostics-one-line-down",
        "site_builder/markup/dockerfile_blocks.py",
        "d.shifted(path, block.body_line - 1, block.column - 1)",
        "d.shifted(path, block.body_line, block.column - 1)",
        (
            "tests/markup/test_fuzz_markdown.py::test_a_dockerfile_problem_is_reported_at_its_own_line",
        ),
    ),
    Mutation(
        "drafts-out-of-the-build-fingerprint",
        "site_builder/pipeline/fingerprints.py",
        "        config_text,\n        drafts,\n",
        "        config_text,\n",
        (CACHE_KEYS,),
    ),
    Mutation(
        "future-out-of-the-build-fingerprint",
        "site_builder/pipeline/fingerprints.py",
        "        drafts,\n        future,\n",
        "        drafts,\n",
        (CACHE_KEYS,),
    ),
    Mutation(
        "checks-out-of-the-processing-key",
        "site_builder/pipeline/fingerprints.py",
        "        config.checks,\n        config.limits,\n",
        "        config.limits,\n",
        (CACHE_KEYS,),
    ),
    Mutation(
        "tag-page-drops-its-first-post",
        "site_builder/render/pages.py",
        "for pager in paginate(tag.posts, site.config.posts_per_page, tag.url):",
        "for pager in paginate(tag.posts[1:], site.config.posts_per_page, tag.url):",
        (TAG_PAGES,),
    ),
    Mutation(
        "each-list-page-drops-its-last-post",
        "site_builder/render/pages.py",
        "Paginator(tuple(items[(n - 1) * per_page : n * per_page]), n, total, base_url)",
        "Paginator(tuple(items[(n - 1) * per_page : n * per_page - 1]), n, total, base_url)",
        (TAG_PAGES,),
    ),
    Mutation(
        "duplicate-heading-ids",
        "site_builder/markup/heading_ids.py",
        "        while candidate in self.taken:",
        "        while False:",
        ("tests/markup/test_heading_ids.py",),
    ),
    Mutation(
        "heading-ids-dodge-only-one-collision",
        "site_builder/markup/heading_ids.py",
        "        while candidate in self.taken:",
        "        if candidate in self.taken:",
        ("tests/markup/test_heading_ids.py",),
    ),
    Mutation(
        "duplicate-stage-name-never-reported",
        "site_builder/dockerfile/checks.py",
        '            found.append(Finding("DuplicateStageName", message, span, node))',
        "            pass",
        (BUILD_CHECKS,),
    ),
    Mutation(
        "reserved-stage-name-never-reported",
        "site_builder/dockerfile/checks.py",
        '            found.append(Finding("ReservedStageName", message, span, node))',
        "            pass",
        (BUILD_CHECKS,),
    ),
    Mutation(
        "maintainer-deprecated-never-reported",
        "site_builder/dockerfile/checks.py",
        '            found.append(Finding("MaintainerDeprecated", message, node.keyword_span, node))',
        "            pass",
        (BUILD_CHECKS,),
    ),
    Mutation(
        "check-error-true-ignored",
        "site_builder/dockerfile/checks.py",
        "        if severity is Severity.WARNING and (config.error or (extra is not None and extra.error)):",
        "        if False:",
        (BUILD_CHECKS,),
    ),
    Mutation(
        "non-atomic-staging-writes",
        "site_builder/publish/staging.py",
        '        temporary = target.with_name(f".{target.name}.tmp")\n'
        '        with open(temporary, "wb") as handle:  # no stray entry in a reused spare (`reusable`)\n'
        "            handle.write(data)\n"
        "        facts = lstat_key(temporary)  # after close: every byte written, the final mtime\n"
        "        os.replace(temporary, target)\n",
        '        with open(target, "wb") as handle:\n'
        "            handle.write(data)\n"
        "        facts = lstat_key(target)\n",
        ("tests/publish/test_staging.py",),
    ),
    Mutation(
        "dockerfile-snippet-memo-ignores-hints",
        "site_builder/dockerfile/memo.py",
        "    return SNIPPETS.get((text, hints)) if MEMO.enabled else None",
        "    return SNIPPETS.get((text, True)) or SNIPPETS.get((text, False)) if MEMO.enabled else None",
        (MEMOS,),
    ),
    Mutation(
        "dockerfile-instruction-memo-ignores-escape",
        "site_builder/dockerfile/parser.py",
        "        key = (line.text, self.reader.escape)",
        '        key = (line.text, "\\\\")',
        (MEMOS,),
    ),
    Mutation(
        "link-normalising-memo-shared-by-every-link",
        "site_builder/markup/convert.py",
        "md.normalizeLink = functools.lru_cache(maxsize=8192)(md.normalizeLink)",
        "md.normalizeLink = (lambda f: lambda url, _m={}: _m.setdefault(url[:8], f(url)))(md.normalizeLink)",
        (MEMOS,),
    ),
)


def copy_checkout(into: Path) -> Path:
    """The checkout copied to `into/<its name>`, with `shared/` linked beside it as here."""
    copy = into / REPO.name
    ignored = shutil.ignore_patterns(
        ".git", ".venv", "output", ".output*", ".site-cache", "__pycache__", ".hypothesis"
    )
    shutil.copytree(REPO, copy, ignore=ignored, symlinks=True)
    shared = REPO.parent / "shared"
    if shared.exists():
        (into / "shared").symlink_to(shared, target_is_directory=True)
    return copy


def run_tests(copy: Path, tests: tuple[str, ...], timeout: float) -> tuple[int, float, str]:
    """pytest over `tests` in the copy: its exit code, seconds and last lines of output."""
    env = {**os.environ, "PYTHONPATH": str(copy), "NO_COLOR": "1"}
    env.pop("UPDATE_GOLDEN", None)
    env.pop("UPDATE_FIXTURES", None)
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return -1, time.perf_counter() - started, "timed out"
    tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-3:])
    return done.returncode, time.perf_counter() - started, tail


def apply(copy: Path, mutation: Mutation) -> str | None:
    """Mutate the copy's file; the original text (to restore), or None if the snippet is not
    there exactly once (the code moved on: the mutation needs updating)."""
    path = copy / mutation.path
    text = path.read_text(encoding="utf-8")
    if text.count(mutation.original) != 1:
        return None
    path.write_text(text.replace(mutation.original, mutation.replacement), encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", help="run only mutations whose name contains one")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per test run")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.names or any(n in m.name for n in args.names)]
    if args.list:
        for m in chosen:
            print(f"{m.name}\n    {m.path}\n    tests: {' '.join(m.tests)}")
        return 0
    if not chosen:
        print("no mutation matches", file=sys.stderr)
        return 2
    width = max(len(m.name) for m in chosen)
    with tempfile.TemporaryDirectory(prefix="site-builder-mutations-") as folder:
        copy = copy_checkout(Path(folder))
        selection = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        code, seconds, tail = run_tests(copy, selection, args.timeout)
        if code != 0:
            print(f"the related tests fail without any mutation ({seconds:.0f} s):\n{tail}")
            return 2
        print(f"baseline: the related tests pass unmutated ({seconds:.1f} s)")
        survived = 0
        for mutation in chosen:
            original = apply(copy, mutation)
            if original is None:
                print(f"{mutation.name:<{width}}  STALE: its text is not in {mutation.path} once")
                survived += 1
                continue
            try:
                code, seconds, tail = run_tests(copy, mutation.tests, args.timeout)
            finally:
                (copy / mutation.path).write_text(original, encoding="utf-8")
            verdict = "killed" if code not in (0, 5) else "SURVIVED"
            survived += verdict == "SURVIVED"
            print(f"{mutation.name:<{width}}  {verdict:<8}  {seconds:5.1f} s", flush=True)
        print(f"{len(chosen) - survived} of {len(chosen)} mutations killed")
        return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
