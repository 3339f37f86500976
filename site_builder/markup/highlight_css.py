"""The code highlighting stylesheet, with every token colour readable (WCAG AA, 4.5:1).

Most Pygments styles have a few colours below the contrast readers need (comments above all:
`friendly` draws them at 2.9:1). Each configured style keeps its background and hues, but any
token colour too faint against the background or the highlighted-line background is mixed
towards black (light backgrounds) or white (dark ones) until it passes. The light style is
plain CSS; the dark one applies under `:root[data-theme="dark"]` (the reader chose dark with
the theme's toggle) and under `prefers-color-scheme: dark` unless the reader chose light
(`:root:not([data-theme="light"])`). `--code-muted` carries a readable colour for line numbers.
"""

from __future__ import annotations

import functools

from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import Text, Token

MIN_CONTRAST = 4.5
_TARGET = 4.6  # a little headroom over the AA minimum for rounding in other checkers
_HIGHLIGHT_TINT = "#ffd60a"


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of `#rgb` / `#rrggbb`."""
    red, green, blue = _rgb(color)

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    first, second = relative_luminance(foreground), relative_luminance(background)
    return (max(first, second) + 0.05) / (min(first, second) + 0.05)


def readable(color: str, backgrounds: tuple[str, ...]) -> str:
    """`color`, mixed towards black or white just enough to pass on every background."""
    if all(contrast(color, bg) >= _TARGET for bg in backgrounds):
        return color
    light = relative_luminance(backgrounds[0]) > 0.18
    target = (0, 0, 0) if light else (255, 255, 255)
    base = _rgb(color)
    for step in range(1, 51):
        share = step / 50
        mixed = _hex(tuple(round(b + (t - b) * share) for b, t in zip(base, target, strict=True)))
        if all(contrast(mixed, bg) >= _TARGET for bg in backgrounds):
            return mixed
    return _hex(target)


CHOSEN_DARK = ':root[data-theme="dark"] .highlight'
SYSTEM_DARK = ':root:not([data-theme="light"]) .highlight'


def stylesheet(light: str, dark: str) -> str:
    """CSS for `light`, and for `dark` when the reader chose it or the system asks for it."""
    chosen = _style_css(dark, (CHOSEN_DARK,))
    system = "\n".join("  " + line for line in _style_css(dark, (SYSTEM_DARK,)).splitlines())
    return f"{_style_css(light)}\n{chosen}\n@media (prefers-color-scheme: dark) {{\n{system}\n}}\n"


@functools.lru_cache(maxsize=16)
def _style_css(name: str, prefixes: tuple[str, ...] = (".highlight",)) -> str:
    style = _readable_style(get_style_by_name(name))
    formatter = HtmlFormatter(style=style)
    background = _color(style.background_color, "#ffffff")
    muted = readable(_color(style.line_number_color, "#6e7781"), (background,))
    fallback = "#000000" if relative_luminance(background) > 0.18 else "#ffffff"
    text_color = style.style_for_token(Text)["color"]
    text = _color(f"#{text_color}", fallback) if text_color else fallback
    selectors = list(prefixes)
    head: list[str] = formatter.get_background_style_defs(selectors)  # type: ignore[no-untyped-call]
    tokens: list[str] = formatter.get_token_style_defs(selectors)  # type: ignore[no-untyped-call]
    lines = [*head, f"{', '.join(prefixes)} {{ color: {text}; --code-muted: {muted} }}", *tokens]
    return "\n".join(lines)


def _readable_style(base: type[Style]) -> type[Style]:
    """A subclass of `base` whose token colours all pass against its backgrounds."""
    background = _color(base.background_color, "#ffffff")
    highlight = _color(base.highlight_color, background)
    plain = base.styles.get(Text) or base.styles.get(Token) or ""
    words = [w for w in str(plain).split() if w.startswith("#")]
    text = _color(words[0] if words else "", "")
    if (relative_luminance(highlight) > 0.18) != (relative_luminance(background) > 0.18) or (
        text and contrast(text, highlight) < _TARGET
    ):
        # A light highlighted-line colour on a dark style (Pygments' default #ffffcc), or one
        # the style's own text is faint on (github-dark's grey #6e7681), leaves few colours
        # readable on both: tint the background instead.
        highlight = _mix(background, _HIGHLIGHT_TINT, 0.2)
    style: type[Style] = type(f"Readable{base.__name__}", (base,), {"highlight_color": highlight})
    default = "#000000" if relative_luminance(background) > 0.18 else "#ffffff"
    table = style._styles  # type: ignore[attr-defined]
    for token, definition in table.items():
        color = definition[0]
        own_background = definition[4]
        if not color:
            if token not in (Token, Text):
                continue
            color = default[1:]
        if _color(f"#{color}", "") == "" or (
            own_background and not _color(f"#{own_background}", "")
        ):
            continue  # ANSI colour names and the like: left as the style has them
        backgrounds = (f"#{own_background}",) if own_background else (background, highlight)
        definition[0] = readable(f"#{color}", backgrounds)[1:]
    return style


def _color(value: object, fallback: str) -> str:
    """A style attribute as `#rrggbb`; `inherit`, names and empties give `fallback`."""
    if isinstance(value, str) and value.startswith("#") and len(value) in (4, 7):
        try:
            _rgb(value)
        except ValueError:
            return fallback
        return value
    return fallback


def _rgb(color: str) -> tuple[int, int, int]:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    if len(digits) != 6:
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _mix(color: str, other: str, share: float) -> str:
    first, second = _rgb(color), _rgb(other)
    return _hex(tuple(round(a + (b - a) * share) for a, b in zip(first, second, strict=True)))


def _hex(rgb: tuple[int, ...]) -> str:
    return "#" + "".join(f"{max(0, min(255, c)):02x}" for c in rgb)
