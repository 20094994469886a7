"""Small-count protection for published tables: a pure function, no Django.

Jusur's rule (../shared/RELIABILITY.md, Privacy): every published count is 0 or at least
10, rounded to the nearest 5, with secondary suppression so that no hidden cell can be
recovered from the published row and column totals.

How:
1. Primary suppression: every entry (cell or total) from 1 to 9 is hidden.
2. Secondary suppression, repeated until nothing changes:
   - a "line" is a row with its total, a column with its total, the row of column totals with
     the grand total, the column of row totals with the grand total (only the totals that are
     published take part). A line with exactly one hidden entry gives it away by subtraction,
     so the smallest other entry of that line is hidden too (cells before totals, non-zero
     cells before zeros: hiding a zero hides nothing real);
   - lines with two hidden entries can still combine (two rectangles joined by one cell):
     an entry is exactly recoverable when its unit vector lies in the row space of the line
     equations over the hidden entries. We compute the null space of those equations and
     hide one more entry next to any hidden entry that is still determined.
3. Rounding: published values are rounded to the nearest 5 (halves cannot occur: counts are
   integers), so 10 → 10, 12 → 10, 13 → 15. Totals are rounded true totals, not sums of
   rounded cells.

Rounding is ignored by the arithmetic check (as if the attacker knew the exact published
totals), which is the conservative side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

THRESHOLD = 10
BASE = 5


def round_count(value: int, *, base: int = BASE) -> int:
    """The nearest multiple of `base` (integers: never a tie for an odd base)."""
    return base * ((int(value) + base // 2) // base)


def is_publishable(value: int, *, threshold: int = THRESHOLD) -> bool:
    return value == 0 or value >= threshold


@dataclass(frozen=True)
class Protected:
    """A table as published: None marks a hidden entry."""

    cells: list[list[int | None]]
    row_totals: list[int | None] | None
    col_totals: list[int | None] | None
    grand_total: int | None
    suppressed: int  # number of hidden entries (cells and totals)


# An entry of the augmented table: ("c", i, j) a cell, ("r", i) a row total,
# ("k", j) a column total, ("g",) the grand total.


def _lines(n_rows: int, n_cols: int, row_totals: bool, col_totals: bool) -> list[list[tuple]]:
    lines = []
    if row_totals:
        lines += [[("c", i, j) for j in range(n_cols)] + [("r", i)] for i in range(n_rows)]
    if col_totals:
        lines += [[("c", i, j) for i in range(n_rows)] + [("k", j)] for j in range(n_cols)]
    if col_totals:
        lines.append([("k", j) for j in range(n_cols)] + [("g",)])
    if row_totals:
        lines.append([("r", i) for i in range(n_rows)] + [("g",)])
    return lines


def _hide_one_more(line: list[tuple], values: dict, hidden: set) -> bool:
    """Hide the best remaining entry of `line`; False when the line has none left."""
    candidates = [e for e in line if e not in hidden]
    if not candidates:
        return False

    def preference(entry):
        value = values[entry]
        return (entry[0] != "c", value == 0, value, entry)

    hidden.add(min(candidates, key=preference))
    return True


def _determined(lines: list[list[tuple]], hidden: set) -> list[tuple]:
    """Hidden entries whose value follows exactly from the line equations."""
    unknowns = sorted(hidden)
    if not unknowns:
        return []
    index = {e: k for k, e in enumerate(unknowns)}
    rows = []
    for line in lines:
        row = np.zeros(len(unknowns))
        # A line is `sum(cells) - total = 0`; only its hidden entries are unknowns.
        for entry in line:
            if entry in index:
                row[index[entry]] = -1.0 if entry == line[-1] else 1.0
        if row.any():
            rows.append(row)
    if not rows:
        return []
    matrix = np.array(rows)
    # x_k is determined iff e_k lies in the row space, i.e. the null space has no component on k.
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:]
    if null.size == 0:
        return list(unknowns)
    return [e for e, k in index.items() if np.abs(null[:, k]).max() < 1e-9]


def protect(
    cells: list[list[int]],
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    threshold: int = THRESHOLD,
    base: int = BASE,
    n_cols: int | None = None,
) -> Protected:
    """Apply primary and secondary suppression and rounding to a table of counts.

    `row_totals`/`col_totals` say whether those margins are published; when either is, the
    grand total is too. Totals are the sums of the cells (so the arithmetic is exact).
    `n_cols` gives the width of a table that may have no rows.
    """
    n_rows = len(cells)
    if n_cols is None:
        n_cols = len(cells[0]) if n_rows else 0
    values: dict[tuple, int] = {}
    for i, row in enumerate(cells):
        if len(row) != n_cols:
            raise ValueError("every row must have the same number of cells")
        for j, value in enumerate(row):
            if value < 0:
                raise ValueError("counts cannot be negative")
            values[("c", i, j)] = int(value)
    if row_totals:
        for i in range(n_rows):
            values[("r", i)] = sum(values[("c", i, j)] for j in range(n_cols))
    if col_totals:
        for j in range(n_cols):
            values[("k", j)] = sum(values[("c", i, j)] for i in range(n_rows))
    if row_totals or col_totals:
        values[("g",)] = sum(v for e, v in values.items() if e[0] == "c")

    hidden = {e for e, v in values.items() if not is_publishable(v, threshold=threshold)}
    lines = _lines(n_rows, n_cols, row_totals, col_totals)
    while True:
        changed = False
        for line in lines:
            if sum(1 for e in line if e in hidden) == 1:
                changed |= _hide_one_more(line, values, hidden)
        if changed:
            continue
        determined = _determined(lines, hidden)
        if not determined:
            break
        for entry in determined:
            # Hide a neighbour on the first line through `entry` that still has one to hide.
            if any(_hide_one_more(line, values, hidden) for line in lines if entry in line):
                changed = True
                break
        if not changed:
            break  # everything on those lines is already hidden

    def out(entry):
        return None if entry in hidden else round_count(values[entry], base=base)

    return Protected(
        cells=[[out(("c", i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[out(("r", i)) for i in range(n_rows)] if row_totals else None,
        col_totals=[out(("k", j)) for j in range(n_cols)] if col_totals else None,
        grand_total=out(("g",)) if (row_totals or col_totals) else None,
        suppressed=len(hidden),
    )
