"""Numbers as the pages show them."""

from __future__ import annotations


def fixed(value: float | None, digits: int = 4) -> str:
    """A score with ``digits`` decimals; "–" where there is none (None or NaN)."""
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


_MARKDOWN = set("\\`*_{}[]()#+-.!|<>$~=:")


def literal(text: object) -> str:
    """Text shown as written inside Markdown: every character Markdown could read as markup escaped
    (``>50K`` stays ``>50K``, never a block quote; ``*a*`` never turns italic)."""
    return "".join("\\" + ch if ch in _MARKDOWN else ch for ch in str(text))
