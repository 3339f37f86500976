"""Expansion in the Dockerfile checker is bounded: work grows linearly with the file.

An `ENV A{i}=${A{i-1}}${A{i-1}}` chain doubles the value on each line: 22 lines took 8.7 s and
414 MB, and each two more lines multiplied that by about 3.5. Past 131,072 characters (what
Linux lets one environment string hold) the checker reports DF051 and stops expanding.
`*` patterns backtrack on long values, so a Dockerfile has a budget of pattern work.
"""

from __future__ import annotations

from growth import assert_linear

from site_builder.dockerfile import check_dockerfile
from site_builder.dockerfile.shell import PLACEHOLDER, Lexer
from site_builder.dockerfile.shellwords import MAX_EXPANSION, ExpansionTooLong


def _doubling(lines: int) -> str:
    chain = [f"ENV A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, lines)]
    return "\n".join(["FROM alpine:3.19", "ENV A0=xxxxxxxx", *chain, f'RUN test "$A{lines - 1}"'])


def _codes(text: str) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in check_dockerfile(text, hints=False).diagnostics]


def test_a_doubling_chain_stops_at_the_limit_with_one_error() -> None:
    # A14 is 8 * 2**14 = 131,072 characters: allowed. A15 would be twice that.
    assert _codes(_doubling(15)) == []
    assert _codes(_doubling(40)) == [(17, "DF051")]


def test_a_doubling_chain_costs_linear_time() -> None:
    assert_linear(lambda n: check_dockerfile(_doubling(n), hints=False), 30)


def test_nested_and_replaced_growth_is_caught_before_it_is_built() -> None:
    lexer, env = Lexer(), {"A": "x" * 1000}
    for word in ("${A//x/$A}", "${B:-${A//x/$A}}", '"${A//x/$A}"'):
        try:
            lexer.process(word, env)
        except ExpansionTooLong:
            continue
        raise AssertionError(f"{word} expanded past {MAX_EXPANSION}")
    assert len(lexer.process("${A//x/yy}", env).result) == 2000


def test_star_patterns_on_long_values_run_within_a_budget() -> None:
    value = "a" * 60_000
    text = "\n".join(["FROM alpine:3.19", f"ENV V={value}"] + ["ENV W=${V//*a*b/c}"] * 50)
    assert _codes(text) == []  # no `b`: unchanged, or unknown once the budget is spent

    def patterns(length: int) -> object:  # unanchored `*a*b` on a's: cubic backtracking
        lines = ["FROM alpine:3.19", f"ENV V={'a' * length}"] + ["ENV W=${V/*a*b/c}"] * 5
        return check_dockerfile("\n".join(lines), hints=False)

    assert_linear(patterns, 300)


def test_past_the_budget_a_pattern_result_is_unknown_not_wrong() -> None:
    lexer = Lexer()
    lexer.pattern_budget = 0
    expansion = lexer.process("${V#*a}", {"V": "banana"})
    assert expansion.result == PLACEHOLDER and expansion.uncertain
    assert Lexer().process("${V#*a}", {"V": "banana"}).result == "nana"
