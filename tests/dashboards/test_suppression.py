"""Small-count protection: a pure function, tested with crafted tables, an arithmetic attack
(linear algebra over the published totals) and hypothesis properties."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.suppression import protect, round_count

CRAFTED = [
    [3, 25, 40, 0],
    [15, 30, 12, 7],
    [52, 2, 61, 18],
    [0, 0, 44, 0],
]


def entries(cells, row_totals, col_totals):
    """The true table with its margins as {entry: value} (same naming as the published one)."""
    values = {("c", i, j): v for i, row in enumerate(cells) for j, v in enumerate(row)}
    if row_totals:
        values.update({("r", i): sum(row) for i, row in enumerate(cells)})
    if col_totals:
        values.update({("k", j): sum(row[j] for row in cells) for j in range(len(cells[0]))})
    if row_totals or col_totals:
        values[("g",)] = sum(map(sum, cells))
    return values


def published(p):
    values = {("c", i, j): v for i, row in enumerate(p.cells) for j, v in enumerate(row)}
    if p.row_totals is not None:
        values.update({("r", i): v for i, v in enumerate(p.row_totals)})
    if p.col_totals is not None:
        values.update({("k", j): v for j, v in enumerate(p.col_totals)})
    if p.grand_total is not None or p.row_totals is not None or p.col_totals is not None:
        values[("g",)] = p.grand_total
    return values


def recoverable(cells, p, row_totals=True, col_totals=True) -> list:
    """The attacker's arithmetic: every equation "cells of a line = its total" over the hidden
    entries; a hidden entry is recovered when its unit vector lies in the equations' row space."""
    n_rows, n_cols = len(cells), len(cells[0])
    shown = published(p)
    hidden = sorted(e for e, v in shown.items() if v is None)
    index = {e: k for k, e in enumerate(hidden)}
    lines = []
    if row_totals:
        lines += [[("c", i, j) for j in range(n_cols)] + [("r", i)] for i in range(n_rows)]
        lines.append([("r", i) for i in range(n_rows)] + [("g",)])
    if col_totals:
        lines += [[("c", i, j) for i in range(n_rows)] + [("k", j)] for j in range(n_cols)]
        lines.append([("k", j) for j in range(n_cols)] + [("g",)])
    equations = []
    for line in lines:
        row = np.zeros(len(hidden))
        for entry in line:
            if entry in index:
                row[index[entry]] = -1 if entry == line[-1] else 1
        if row.any():
            equations.append(row)
    if not equations:
        return []
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    found = []
    for entry, k in index.items():
        unit = np.zeros(len(hidden))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(entry)
    return found


def test_round_count_to_nearest_five():
    assert [round_count(v) for v in (0, 10, 11, 12, 13, 14, 15, 17, 18, 22, 23, 1002)] == [
        0, 10, 10, 10, 15, 15, 15, 15, 20, 20, 25, 1000,
    ]  # fmt: skip


def test_protect_crafted_table_shows_no_count_between_one_and_nine():
    result = protect(CRAFTED)

    shown = [v for v in published(result).values() if v is not None]
    assert all(v == 0 or v >= 10 for v in shown)
    assert all(v % 5 == 0 for v in shown)


def test_protect_crafted_table_hides_small_cells_and_rounds_the_others():
    result = protect(CRAFTED)

    assert result.cells[0][0] is None  # 3
    assert result.cells[1][3] is None  # 7
    assert result.cells[2][1] is None  # 2
    assert result.cells[1][1] == 30
    assert result.cells[2][0] == 50  # 52
    assert result.cells[2][2] == 60  # 61
    assert result.cells[3][2] == 45  # 44
    assert result.grand_total == round_count(sum(map(sum, CRAFTED)))


def test_protect_crafted_table_totals_do_not_reveal_a_hidden_cell():
    result = protect(CRAFTED)

    # Subtraction along every row and column: never exactly one hidden entry in a line.
    shown = published(result)
    for i in range(4):
        assert sum(shown[("c", i, j)] is None for j in range(4)) + (shown[("r", i)] is None) != 1
    for j in range(4):
        assert sum(shown[("c", i, j)] is None for i in range(4)) + (shown[("k", j)] is None) != 1
    # And every combination of the equations.
    assert recoverable(CRAFTED, result) == []


def test_protect_two_rectangles_joined_by_one_cell_hides_more():
    # Rows 0–1 × cols 0–1 and rows 2–3 × cols 2–3 are small; (0, 2) joins them. Each line has
    # two hidden cells, yet row 0 + row 1 − col 0 − col 1 gives the joining cell away.
    cells = [
        [5, 5, 3, 40],
        [5, 5, 30, 40],
        [30, 30, 5, 5],
        [40, 40, 5, 5],
    ]
    result = protect(cells)

    assert recoverable(cells, result) == []


def test_protect_single_column_of_small_cell_hides_the_total_path():
    cells = [[4], [50], [60]]

    result = protect(cells)

    assert result.cells[0][0] is None
    assert recoverable(cells, result) == []


def test_protect_without_row_totals_checks_columns_only():
    cells = [[3, 50], [40, 60]]

    result = protect(cells, row_totals=False)

    assert result.row_totals is None
    assert result.cells[0][0] is None and result.cells[1][0] is None
    assert recoverable(cells, result, row_totals=False) == []


def test_protect_all_zero_table_publishes_zeros():
    result = protect([[0, 0], [0, 0]])

    assert result.cells == [[0, 0], [0, 0]] and result.grand_total == 0 and result.suppressed == 0


tables = st.integers(1, 5).flatmap(
    lambda n_rows: st.integers(1, 5).flatmap(
        lambda n_cols: st.lists(
            st.lists(st.one_of(st.integers(0, 12), st.integers(0, 200)), min_size=n_cols, max_size=n_cols),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(cells=tables, row_totals=st.booleans(), col_totals=st.booleans())
def test_protect_property_no_small_counts_and_nothing_recoverable(cells, row_totals, col_totals):
    result = protect(cells, row_totals=row_totals, col_totals=col_totals)

    truth = entries(cells, row_totals, col_totals)
    for entry, value in published(result).items():
        if value is None:
            continue
        assert value == 0 or value >= 10
        assert value == round_count(truth[entry])
        assert 1 <= truth[entry] <= 9 or value == round_count(truth[entry])
    for entry, value in truth.items():
        if 1 <= value <= 9:
            assert published(result)[entry] is None
    assert recoverable(cells, result, row_totals, col_totals) == []


def test_protect_table_without_rows_keeps_its_columns():
    result = protect([], n_cols=3)

    assert result.cells == [] and result.col_totals == [0, 0, 0] and result.grand_total == 0
