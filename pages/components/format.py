"""Numbers as the pages show them."""

from __future__ import annotations

import re

import pandas as pd


def fixed(value: float | None, digits: int = 4) -> str:
    """A score with ``digits`` decimals; "–" where there is none (None or NaN)."""
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def amount(value: float | None) -> str:
    """An amount with two decimals and thousands separators ("" when there is none)."""
    return "" if value is None or value != value else f"{value:,.2f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


_INLINE = set("\\`*_[]<>$~|:")  # inline markup: escaped wherever it stands
_BLOCK = re.compile(r"^(\s*)(#+(?=\s|$)|[+-](?=\s|$)|=+\s*$|\d+[.)](?=\s|$))")  # block markup, at the start


def literal(text: object) -> str:
    """Text shown as written inside Markdown: every character Markdown could read as markup escaped
    (``>50K`` stays ``>50K``, never a block quote; ``*a*`` never turns italic; ``$d$`` never maths)."""
    out = "".join("\\" + ch if ch in _INLINE else ch for ch in str(text))
    return _BLOCK.sub(lambda m: m.group(1) + "".join("\\" + c if not c.isdigit() else c for c in m.group(2)), out)


def code(text: object) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    text = str(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def literal_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for ``st.table`` (which reads its cells as Markdown) that shows every label as written."""
    out = frame.map(lambda v: literal(v) if isinstance(v, str) else v)
    out.index = out.index.map(lambda v: literal(v) if isinstance(v, str) else v)
    out.columns = out.columns.map(lambda v: literal(v) if isinstance(v, str) else v)
    return out


def money_change(now, then, side: str = "test") -> str:
    """The change in amount caught and net benefit between two amount reports (" · amount caught a → b,
    net benefit c → d"), or "" without amounts."""
    if now is None or then is None:
        return ""
    a, b = now[side], then[side]
    return (f" · amount caught {a.caught:,.2f} → **{b.caught:,.2f}**, net benefit {a.net_benefit:,.2f} → "
            f"**{b.net_benefit:,.2f}**")
