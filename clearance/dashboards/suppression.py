"""Small-cell suppression for the dashboards: primary and complementary.

Every count on a page is a cell with a key. A count of 1 to 10 people or convictions is never
shown (primary suppression), and neither is a count that the analyst database already
suppressed (its value is None). Equations record the sums that a reader could use to work a
hidden count out again: a total and its parts, or a count, a subset of it and the hidden rest.
Complementary suppression hides further cells until no equation lets a reader work out a small
count from the cells still shown.

Counts that another page shows or hides are added too. A count shown there is known here and
is never hidden (`add_public`). A count hidden there is hidden here as well (`hide`), so
subtracting one page from another gives back nothing that either page protects.

A reader is assumed to solve one equation at a time: an equation whose cells are all known but
one gives that one. Cells learned that way count as known in every other equation, so chains of
subtractions across charts are followed too.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

# Counts from 1 to this are suppressed, as the privacy rules require of any count shown to
# policymakers.
SMALL_CELL_MAX = 10
SUPPRESSED = "suppressed"

CellKey = Hashable


def is_small(value: int | None) -> bool:
    """Return whether a count must be suppressed itself: 1 to 10, or already suppressed (None)."""
    return value is None or 1 <= value <= SMALL_CELL_MAX


@dataclass(frozen=True)
class Equation:
    """`total` equals the sum of `parts`: with all but one of them known, the last one is too."""

    total: CellKey
    parts: tuple[CellKey, ...]

    def cells(self) -> tuple[CellKey, ...]:
        return (self.total, *self.parts)


@dataclass
class SuppressionPlan:
    """The counts of one page, the equations between them, and which ones are shown.

    Add every count with `add` (shown on the page) or `add_hidden` (never shown, but a reader
    could work it out by subtraction, such as the people without relief). Then add the
    equations and call `solve`.
    """

    values: dict[CellKey, int | None] = field(default_factory=dict)
    shown: dict[CellKey, bool] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)
    # Counts another page shows, so they are known and hiding them here protects nothing.
    public: set[CellKey] = field(default_factory=set)
    # Counts this page shows but must hide because another page hides them.
    forced_hidden: set[CellKey] = field(default_factory=set)
    solved: bool = False

    def add(self, key: CellKey, value: int | None) -> CellKey:
        """Add a count the page shows, unless it is small.

        The same key may be added twice with the same value, as when two charts show one total.
        """
        return self._add(key, value, shown=True)

    def add_hidden(self, key: CellKey, value: int | None) -> CellKey:
        """Add a count the page never shows but that equations can reveal."""
        return self._add(key, value, shown=False)

    def add_public(self, key: CellKey, value: int | None) -> CellKey:
        """Add a count that another page shows: known to every reader, never hidden here."""
        if is_small(value):
            raise ValueError(f"cell {key!r}: {value} is small, so no page may show it")
        self.public.add(key)
        return self._add(key, value, shown=True)

    def hide(self, key: CellKey) -> None:
        """Hide an added count whatever its value, because another page hides it."""
        if key not in self.values:
            raise KeyError(f"cell {key!r} was never added")
        if key in self.public:
            raise ValueError(f"cell {key!r} is shown on another page and cannot be hidden")
        self.forced_hidden.add(key)
        self.solved = False

    def _add(self, key: CellKey, value: int | None, *, shown: bool) -> CellKey:
        if key in self.values and self.values[key] != value:
            raise ValueError(f"cell {key!r}: added as {self.values[key]} and as {value}")
        self.values[key] = value
        self.shown[key] = self.shown.get(key, False) or shown
        self.solved = False
        return key

    def add_equation(self, total: CellKey, parts: Iterable[CellKey]) -> None:
        """Record that `total` equals the sum of `parts` (all added before)."""
        equation = Equation(total, tuple(parts))
        for key in equation.cells():
            if key not in self.values:
                raise KeyError(f"cell {key!r} of an equation was never added")
        if not equation.parts:
            # An empty sum, such as the reasons of a run without convictions, reveals nothing.
            if self.values[total] != 0:
                raise ValueError(f"cell {total!r} is {self.values[total]}, the sum of no parts")
            return
        self.equations.append(equation)
        self.solved = False

    def add_complement(self, whole: CellKey, subset: CellKey, rest_key: CellKey) -> None:
        """Record a subset of a count and the hidden rest, such as people relieved of people
        with a conviction: the rest (people without relief) is worked out by subtraction."""
        whole_value = self.values[whole]
        subset_value = self.values[subset]
        rest = None if whole_value is None or subset_value is None else whole_value - subset_value
        self.add_hidden(rest_key, rest)
        self.add_equation(whole, [subset, rest_key])

    def solve(self) -> None:
        """Hide every small count and every further count needed to protect them."""
        hidden = {key for key, value in self.values.items() if is_small(value)}
        hidden |= {key for key, shown in self.shown.items() if not shown}
        hidden |= self.forced_hidden
        while True:
            leak = self._first_leak(hidden)
            if leak is None:
                break
            hidden.add(self._complement_for(*leak, hidden))
        for key in self.values:
            self.shown[key] = key not in hidden
        self.solved = True

    def _first_leak(self, hidden: set[CellKey]) -> tuple[Equation, dict[CellKey, Equation]] | None:
        """Return an equation that gives back a small count when solved, with the equation that
        gave back each hidden count on the way, or None when no small count can be worked out."""
        known = set(self.values) - hidden
        derived_by: dict[CellKey, Equation] = {}
        changed = True
        while changed:
            changed = False
            for equation in self.equations:
                unknown = [key for key in equation.cells() if key not in known]
                if len(unknown) != 1:
                    continue
                if is_small(self.values[unknown[0]]):
                    return equation, derived_by
                known.add(unknown[0])
                derived_by[unknown[0]] = equation
                changed = True
        return None

    def _complement_for(
        self, leak: Equation, derived_by: dict[CellKey, Equation], hidden: set[CellKey]
    ) -> CellKey:
        """Return the next count to hide for a leaking equation.

        The candidates are the shown counts of the equation and of the equations that gave
        back its other hidden counts, and theirs in turn, except counts another page shows. The order:
        a part before a total, so totals stay on the page where they can. Then a non-zero count
        before a zero, because a hidden zero protects nothing. Then the smallest.
        """
        equations = [leak]
        for equation in equations:
            for key in equation.cells():
                source = derived_by.get(key)
                if source is not None and source not in equations:
                    equations.append(source)
        candidates = {
            key: key != equation.total
            for equation in equations
            for key in equation.cells()
            if key not in hidden and key not in self.public
        }
        if not candidates:
            raise RuntimeError(f"no count left to hide to protect {leak}")
        return min(
            candidates,
            key=lambda key: (not candidates[key], self.values[key] == 0, self.values[key]),
        )

    def hidden_keys(self) -> set[CellKey]:
        """Return every count the page may not show, after `solve`."""
        if not self.solved:
            raise RuntimeError("call solve() before reading which counts are shown")
        return {key for key, shown in self.shown.items() if not shown}

    def is_shown(self, key: CellKey) -> bool:
        """Return whether the page may show the count of `key`."""
        if not self.solved:
            raise RuntimeError("call solve() before reading which counts are shown")
        return self.shown[key]

    def value(self, key: CellKey) -> int | None:
        """Return the count of `key` when it is shown, else None."""
        return self.values[key] if self.is_shown(key) else None

    def text(self, key: CellKey) -> str:
        """Return the count as the page prints it: with thousands separators, or `suppressed`."""
        value = self.value(key)
        return SUPPRESSED if value is None else f"{value:,}"
