"""site.toml: defaults, unknown keys, bad values at their line, dangerous output folders."""

from __future__ import annotations

from site_builder.config.load import load_config
from site_builder.config.schema import SiteConfig


def lines(problems):
    return [d.format() for d in problems]


def test_absent_config_gives_defaults(tmp_path):
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.title == "My Docker Blog" and config.posts_per_page == 10
    assert config.output_path == (tmp_path / "output").resolve()
    assert config.base_path == "/"


def test_values_are_read(make_site):
    root = make_site(
        {
            "site.toml": """
        title = "Smaller Containers"
        base_url = "https://example.org/blog"
        timezone = "Europe/Berlin"
        posts_per_page = 5
        [markdown]
        allow_html = true
        dark_style = "dracula"
    """
        }
    )
    config, problems = load_config(root)
    assert problems == []
    assert (config.title, config.posts_per_page, config.timezone) == (
        "Smaller Containers",
        5,
        "Europe/Berlin",
    )
    assert config.base_path == "/blog/"
    assert config.markdown.allow_html and config.markdown.dark_style == "dracula"


def test_unknown_keys_warn_with_suggestions(make_site):
    root = make_site({"site.toml": 'titel = "x"\n[markdown]\nallow_htm = true\n[extras]\na = 1\n'})
    _, problems = load_config(root)
    assert lines(problems) == [
        "site.toml:1:1: warning CFG002: unknown key 'titel' (did you mean 'title'?)",
        "site.toml:4:1: warning CFG002: unknown key 'extras'",
        "site.toml:3:1: warning CFG002: unknown key 'markdown.allow_htm' (did you mean 'markdown.allow_html'?)",
    ]


def test_bad_values_are_errors_at_their_line(make_site):
    root = make_site(
        {
            "site.toml": """
        title = "ok"
        posts_per_page = 0
        base_url = "example.org"
        timezone = "Mars/Olympus"
        language = 7
        [markdown]
        light_style = "monokay"
        words_per_minute = true
    """
        }
    )
    config, problems = load_config(root)
    assert lines(problems) == [
        "site.toml:2:1: error CFG003: 'posts_per_page' must be a whole number above 0",
        "site.toml:3:1: error CFG003: 'base_url' must be an absolute http(s) URL such as 'https://example.com/'",
        "site.toml:4:1: error CFG003: 'timezone' names an unknown timezone 'Mars/Olympus' (use an IANA name such as 'Europe/Berlin' or 'UTC')",
        "site.toml:5:1: error CFG003: 'language' must be text; got int 7",
        "site.toml:7:1: error CFG003: 'markdown.light_style' names an unknown Pygments style 'monokay' (did you mean 'monokai'?)",
        "site.toml:8:1: error CFG003: 'markdown.words_per_minute' must be a whole number; got bool True",
    ]
    assert config.posts_per_page == SiteConfig().posts_per_page


def test_toml_syntax_error_has_a_position(make_site):
    root = make_site({"site.toml": 'title = "x"\nbase_url = \n'})
    _, problems = load_config(root)
    assert lines(problems) == ["site.toml:2:12: error CFG004: TOML syntax error: Invalid value"]


def test_dangerous_output_dirs_are_refused(make_site):
    for value, what in [
        (".", "the site root"),
        ("content", "'content'"),
        ("themes", "'themes'"),
        ("content/..", "the site root"),
        ("..", "the site root"),
    ]:
        root = make_site({"site.toml": f'output_dir = "{value}"\n'})
        _, problems = load_config(root)
        assert lines(problems) == [
            f"site.toml:1:1: error CFG001: output_dir '{value}' would replace {what}; "
            "choose a separate folder such as 'output'"
        ], value


def test_output_inside_the_site_is_fine(make_site):
    root = make_site({"site.toml": 'output_dir = "public/site"\n'})
    config, problems = load_config(root)
    assert problems == [] and config.output_path == (root / "public" / "site").resolve()


def test_problems_in_dotted_keys_and_inline_tables_are_at_the_key(tmp_path):
    (tmp_path / "site.toml").write_text(
        'title = "T"\n'
        "markdown.allow_html = 1\n"  # line 2: a dotted key at the top
        'checks = { writing = "loud", max_diagnostics = 5 }\n'  # line 3: an inline table
        "[dockerfile]\n"
        'hints = "yes"   # a comment with = in it\n'  # line 5
        'description = """\n'
        "posts_per_page = 3\n"  # inside a string: not a key
        '"""\n'
        '"placeholders" = 7\n',  # line 9: a quoted key
        encoding="utf-8",
    )
    _, problems = load_config(tmp_path)
    where = {d.message.split("'")[1]: (d.line, d.column) for d in problems}
    assert where["markdown.allow_html"] == (2, 10)
    assert where["checks.writing"] == (3, 12)
    assert where["dockerfile.hints"] == (5, 1)
    assert where["dockerfile.description"] == (6, 1)
    assert where["dockerfile.placeholders"] == (9, 1)
    assert all((d.line, d.column) != (1, 1) for d in problems), lines(problems)


def test_a_syntax_error_at_the_end_of_the_file_is_on_its_last_line(tmp_path):
    (tmp_path / "site.toml").write_text('title = "T"\n[markdown]\nallow_html = \n', "utf-8")
    _, problems = load_config(tmp_path)
    [problem] = problems
    assert problem.code == "CFG004" and problem.line == 3


def test_example_settings_are_read_and_their_problems_are_at_the_key(tmp_path):
    (tmp_path / "site.toml").write_text(
        'title = "T"\n'
        'examples."bad name".target = "x"\n'  # line 2: a dotted key, the name at column 10
        "[examples.slim]\n"
        'build_args = { NODE = "22" }\n'
        'target = "runtime"\n'
        "[examples.naive]\n"
        "target = 3\n"  # line 7
        "  colour = 1\n",  # line 8, column 3
        encoding="utf-8",
    )
    config, problems = load_config(tmp_path)
    assert config.examples["slim"].build_args == {"NODE": "22"}
    assert config.examples["slim"].target == "runtime"
    assert [(d.line, d.column, d.code) for d in problems] == [
        (2, 10, "CFG003"),
        (7, 1, "CFG003"),
        (8, 3, "CFG002"),
    ]


def test_html_modes_and_the_old_allow_html_spelling(make_site):
    def mode(toml: str) -> tuple[str, list[str]]:
        config, problems = load_config(make_site({"site.toml": toml}))
        return config.markdown.html_mode, lines(problems)

    assert mode("") == ("safe", [])
    assert mode('[markdown]\nhtml = "text"\n') == ("text", [])
    assert mode('[markdown]\nhtml = "trusted"\n') == ("trusted", [])
    assert mode("[markdown]\nallow_html = true\n") == ("trusted", [])
    assert mode("[markdown]\nallow_html = false\n") == ("text", [])
    assert mode('[markdown]\nallow_html = true\nhtml = "trusted"\n') == ("trusted", [])
    assert mode('[markdown]\nhtml = "raw"\n')[1] == [
        'site.toml:2:1: error CFG003: \'markdown.html\' must be "safe", "text" or "trusted"'
    ]
    assert mode('[markdown]\nhtml = "safe"\nallow_html = true\n')[1] == [
        "site.toml:3:1: error CFG003: 'markdown.allow_html' says html = \"trusted\" but "
        "'markdown.html' says \"safe\"; keep only html"
    ]
