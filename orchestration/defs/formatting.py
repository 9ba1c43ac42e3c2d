"""Small helpers to make materialisation and check metadata readable in the UI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def _cell(value: Any, limit: int = 160) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, max_rows: int = 200
) -> str:
    """A Markdown table; past ``max_rows`` rows a last line says how many were left out."""
    rows = list(rows)
    if not rows:
        return "_none_"
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    for row in rows[:max_rows]:
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    if len(rows) > max_rows:
        lines.append(f"\n… and {len(rows) - max_rows} more rows")
    return "\n".join(lines)
