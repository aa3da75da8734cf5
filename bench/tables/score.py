#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cell-level scoring for table extraction, after ICDAR 2013's adjacency relations.

  python3 bench/tables/score.py --self-test

A table is a list of rows of cell text (None counts as ""). Each non-empty cell is related to its
nearest non-empty cell to the right in its row and to its nearest non-empty cell below in its
column; a relation is the tuple (text, neighbour text, "R" or "D"). Text is normalised: Unicode NFKC
(so a ligature or a no-break space counts as its plain letters), whitespace runs (a wrapped cell's
line breaks too) collapsed to one space, ends trimmed; case is kept. The relations of all tables of
one PDF form one multiset, pages ignored, so a table split in two, cut at another row, or offset by
empty rows and columns loses only the relations across the cut. Per PDF, matched = size of the
multiset intersection of found and true relations; over the corpus, precision = sum matched / sum
found and recall = sum matched / sum true (micro average).

Exact cells, the second measure: the multiset of non-empty normalised cell texts of a PDF, found
against true, the same way (a cell counts when some found cell has exactly its text).
"""
import re, sys, unicodedata
from collections import Counter


def normalise(text):
    if text is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip()


def relations(rows):
    """The adjacency relations of one table, as a Counter of (text, neighbour, direction)."""
    grid = [[normalise(cell) for cell in row] for row in rows]
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    found = Counter()
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if not text:
                continue
            right = next((row[k] for k in range(c + 1, width) if row[k]), None)
            if right is not None:
                found[(text, right, "R")] += 1
            down = next((grid[k][c] for k in range(r + 1, len(grid)) if grid[k][c]), None)
            if down is not None:
                found[(text, down, "D")] += 1
    return found


def cells(rows):
    return Counter(text for row in rows for text in map(normalise, row) if text)


def score_document(truth_tables, found_tables):
    """Counts for one PDF; each argument is a list of tables, each a list of rows."""
    truth, found = Counter(), Counter()
    truth_cells, found_cells = Counter(), Counter()
    for rows in truth_tables:
        truth += relations(rows)
        truth_cells += cells(rows)
    for rows in found_tables:
        found += relations(rows)
        found_cells += cells(rows)
    return {"relations_true": sum(truth.values()), "relations_found": sum(found.values()),
            "relations_matched": sum((truth & found).values()),
            "cells_true": sum(truth_cells.values()), "cells_found": sum(found_cells.values()),
            "cells_matched": sum((truth_cells & found_cells).values())}


def ratio(numerator, denominator):
    return numerator / denominator if denominator else 0.0


def aggregate(documents):
    """Micro averages over the per-PDF counts of `score_document`."""
    total = Counter()
    for counts in documents:
        total.update(counts)
    precision = ratio(total["relations_matched"], total["relations_found"])
    recall = ratio(total["relations_matched"], total["relations_true"])
    cell_precision = ratio(total["cells_matched"], total["cells_found"])
    cell_recall = ratio(total["cells_matched"], total["cells_true"])
    return {"precision": precision, "recall": recall, "f1": ratio(2 * precision * recall, precision + recall),
            "cell_precision": cell_precision, "cell_recall": cell_recall,
            "cell_f1": ratio(2 * cell_precision * cell_recall, cell_precision + cell_recall), **dict(total)}


def self_test():
    table = [["Name", "Qty", "Price"], ["Bolt", "4", "$1.00"], ["Nut", "", "$0.50"]]
    assert relations(table) == Counter({("Name", "Qty", "R"): 1, ("Qty", "Price", "R"): 1, ("Name", "Bolt", "D"): 1,
                                        ("Qty", "4", "D"): 1, ("Price", "$1.00", "D"): 1, ("Bolt", "4", "R"): 1,
                                        ("4", "$1.00", "R"): 1, ("Bolt", "Nut", "D"): 1, ("$1.00", "$0.50", "D"): 1,
                                        ("Nut", "$0.50", "R"): 1}), relations(table)
    perfect = aggregate([score_document([table], [table])])
    assert perfect["precision"] == perfect["recall"] == perfect["cell_recall"] == 1.0, perfect
    # Whitespace, line breaks, ligatures and None are normalised; case is not.
    same = [["\nName ", " Qty ", "Price"], ["Bolt", "4", "$1.00"], ["Nut", None, "$0.50"]]
    assert aggregate([score_document([table], [same])])["f1"] == 1.0
    assert aggregate([score_document([[["ﬁle", "x"]]], [[["file", "x"]]])])["f1"] == 1.0
    assert aggregate([score_document([[["Unit price", "1,234.50"]]], [[["Unit\nprice", "1,234.50"]]])])["f1"] == 1.0
    assert aggregate([score_document([[["Bolt", "x"]]], [[["bolt", "x"]]])])["f1"] == 0.0
    # Offset by an empty row and column: nothing lost.
    shifted = [["", "", "", ""]] + [[""] + row for row in table]
    assert aggregate([score_document([table], [shifted])])["f1"] == 1.0
    # Split after the header: only the three header-to-first-row relations are lost.
    split = aggregate([score_document([table], [table[:1], table[1:]])])
    assert split["relations_matched"] == 7 and split["precision"] == 1.0 and abs(split["recall"] - 0.7) < 1e-9, split
    # A merged header spread over two columns: the covered position is empty, so the merged text keeps
    # its right neighbour; a tool that repeats the text in the covered cell gains one wrong relation.
    merged = [["Term 1", "", "Final"], ["Score", "Grade", ""]]
    repeated = [["Term 1", "Term 1", "Final"], ["Score", "Grade", ""]]
    counts = score_document([merged], [repeated])
    assert counts["relations_true"] == 3 and counts["relations_found"] == 5 and counts["relations_matched"] == 3, counts
    # Nothing found: recall 0, precision 0 (no division by zero); micro average over two PDFs.
    both = aggregate([score_document([table], []), score_document([table], [table])])
    assert both["recall"] == 0.5 and both["precision"] == 1.0, both
    assert aggregate([score_document([table], [])])["precision"] == 0.0
    # Swapped columns keep the 5 down relations and lose 4 of 5 right ones (Nut still precedes $0.50).
    swapped = [[row[1], row[0], row[2]] for row in table]
    assert score_document([table], [swapped])["relations_matched"] == 6
    print("score.py self-test: ok")


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        self_test()
    else:
        print(__doc__)
        sys.exit(2)
