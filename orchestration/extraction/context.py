"""Context as an explicit stack of scopes.

A number's period, place, subject (the indicator it is about) and status may be stated
in its own clause or inherited from an enclosing level: document (title and lead) →
section (heading) → paragraph → sentence → clause. A level overrides the one above only
with its own explicit evidence. Every field is decided once, by :meth:`Scope.find`,
which returns the value together with the level and the words that decided it, so the
observation's evidence can say where each field came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .periods import Period

LEVELS = ("document", "section", "paragraph", "sentence", "clause", "table")


@dataclass(frozen=True)
class Decision:
    """A field's value, the scope level that decided it and the words behind it."""

    value: Any
    level: str
    cue: str | None = None

    def evidence(self) -> dict[str, Any]:
        return {"level": self.level, "cue": self.cue}


@dataclass(frozen=True)
class Subject:
    """What numbers are about: one or more indicator codes named together (the unit of a
    number picks among them), or a topic that is not itself an indicator (``@labour``),
    or a thing that is not catalogued (``unknown``: a product, a district, a company)."""

    codes: tuple[str, ...]
    cue: str
    growth: bool = False  # named with "tăng trưởng" (a percentage of it is growth)
    unknown: bool = False
    also: tuple[str, ...] = ()  # indicators named with it ("tai nạn giao thông và tội phạm")

    @property
    def known(self) -> bool:
        return bool(self.codes) and not self.unknown

    @property
    def is_topic(self) -> bool:
        """A topic that is not itself an indicator (its codes start with ``@``)."""
        return bool(self.codes) and all(code.startswith("@") for code in self.codes)


UNKNOWN = Subject((), "", unknown=True)


@dataclass
class Scope:
    """One level of the stack; ``fields`` holds the decisions stated at this level."""

    level: str
    parent: Scope | None = None
    fields: dict[str, Decision] = field(default_factory=dict)

    def child(self, level: str) -> Scope:
        return Scope(level, self)

    def set(self, name: str, value: Any, cue: str | None = None) -> None:
        """State ``name`` at this level (explicit evidence of this level)."""
        self.fields[name] = Decision(value, self.level, cue)

    def own(self, name: str) -> Decision | None:
        return self.fields.get(name)

    def find(self, name: str, above: str | None = None) -> Decision | None:
        """The innermost decision of ``name`` (optionally only at or above ``above``)."""
        scope: Scope | None = self
        if above is not None:
            while scope is not None and scope.level != above:
                scope = scope.parent
        while scope is not None:
            if name in scope.fields:
                return scope.fields[name]
            scope = scope.parent
        return None


@dataclass(frozen=True)
class Publication:
    """When the document was published: a day, a month ("date 2024-09"), or unknown."""

    first: dt.date | None = None
    last: dt.date | None = None
    evidence: str | None = None

    @property
    def known(self) -> bool:
        return self.first is not None

    def ended_before(self, period: Period) -> bool | None:
        """Had ``period`` ended when the document was published? ``None``: cannot say."""
        if self.first is None or self.last is None:
            return None
        if period.end < self.first:
            return True
        if period.end >= self.last:
            return False
        return None

    def starts_after(self, period: Period) -> bool:
        """Does ``period`` start after publication (a future period)?"""
        return self.last is not None and period.start > self.last

    @property
    def year(self) -> int | None:
        return self.first.year if self.first else None
