"""Diagnostics: the one record every problem becomes, and how it reaches people and programs.

Takes nothing from the other stages; every stage gives its problems here.

- `diagnostic`: `Diagnostic(path, line, col, severity, code, message)`, `Severity`, the
  `Collector` and `by_position`.
- `levels`: `[checks] levels` of site.toml, re-levelling codes (error, warning, off).
- `printable`: the one place control characters, line separators and bidi controls from user
  files are made visible escapes, for every line we print and every JSON text we write.
- `report`: the compiler-style report with caret excerpts, plain lines, JSON, the summary.
"""
