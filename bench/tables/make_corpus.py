#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Generates the table-extraction corpus: PDFs with known cells, each with a ground-truth JSON.

  bench/tables/make_corpus.py OUTDIR [--soffice soffice] [--keep-sources]

Sources are written as HTML (LibreOffice Writer/Web), XLSX (openpyxl) and CSV, and converted to PDF by
one `soffice --headless --convert-to pdf` call on a private profile. Then two PDFs are rotated
(pypdf), long tables get their page split from the text LibreOffice actually printed, and every
ground-truth cell is checked against `pdftotext -layout` of its page; a mismatch fails the run.

Ground truth, OUTDIR/NAME.json beside OUTDIR/NAME.pdf:
  {"tables": [{"page": 0-based page index, "rows": [[cell text, ...], ...]}], "features": [...]}
Cell text is what is printed, lines of a wrapped cell joined by one space. A merged cell (colspan /
rowspan, or a merged spreadsheet range) has its text in its top-left position and "" in every
position it covers. A table that continues on the next page is two entries, one per page, the
continuation starting with the repeated header row when one was printed. Captions, headings and
page headers/footers are not table cells.
"""
import argparse, html, json, os, random, re, shutil, subprocess, sys, tempfile, time, unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import themes  # noqa: E402

LOREM = ("The committee reviewed the figures below at its quarterly meeting. Numbers are provisional and may "
         "be revised when the audited accounts are published. Regional offices reported their totals in the "
         "usual way and the secretariat consolidated them without adjustment. ")


# ------------------------------------------------------------------ HTML documents

def span_map(spans):
    covered = set()
    for (row, column), (rowspan, colspan) in spans.items():
        for r in range(row, row + rowspan):
            for c in range(column, column + colspan):
                if (r, c) != (row, column):
                    covered.add((r, c))
    return covered


def column_widths(grid, covered, spans, font, wrap_cols):
    """Pixel widths from the longest one-column text, so that LibreOffice wraps only WRAP_COLS."""
    widths = []
    for c in range(max(len(row) for row in grid)):
        longest = max((len(row[c]) for r, row in enumerate(grid)
                       if c < len(row) and (r, c) not in covered and spans.get((r, c), (1, 1))[1] == 1), default=4)
        widths.append(wrap_cols.get(c) or int(longest * (font or 10) * 0.75 + 18))
    return widths


def html_table(grid, header_rows=1, style="ruled", spans=None, font=None, width=None, wrap_cols=None, align_right=()):
    """An HTML table of GRID (rows of text, "" at covered positions). Styles: ruled (all borders),
    unruled (whitespace only), header-rule (one line under the header), booktabs (top, header and
    bottom rules), shaded (alternate row fill, no lines)."""
    spans = spans or {}
    covered = span_map(spans)
    attributes = {"ruled": 'border="1" cellspacing="0" cellpadding="4"'}.get(style, 'border="0" cellspacing="0" cellpadding="5"')
    if width:
        attributes += f' width="{width}"'
    table_style = f' style="font-size:{font}pt"' if font else ""
    wrap_cols = wrap_cols or {}
    lines = [f"<table {attributes}{table_style}><colgroup>"]
    lines += [f'<col width="{w}">' for w in column_widths(grid, covered, spans, font, wrap_cols)]
    lines.append("</colgroup>")
    last = len(grid) - 1
    for r, row in enumerate(grid):
        shade = ' bgcolor="#DDDDDD"' if style == "shaded" and r >= header_rows and (r - header_rows) % 2 == 0 else ""
        lines.append(f"<tr{shade}>")
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            tag = "th" if r < header_rows else "td"
            css = []
            if font:
                css.append(f"font-size:{font}pt")
            if style in ("header-rule", "booktabs") and r == header_rows - 1:
                css.append("border-bottom:1px solid #000000")
            if style == "booktabs" and r == 0:
                css.append("border-top:2px solid #000000")
            if style == "booktabs" and r == last:
                css.append("border-bottom:2px solid #000000")
            attrs = ""
            rowspan, colspan = spans.get((r, c), (1, 1))
            if rowspan > 1:
                attrs += f' rowspan="{rowspan}"'
            if colspan > 1:
                attrs += f' colspan="{colspan}"'
            if c not in wrap_cols:
                attrs += " nowrap"
            if c in align_right and r >= header_rows:
                attrs += ' align="right"'
            if css:
                attrs += f' style="{";".join(css)}"'
            lines.append(f"<{tag}{attrs}>{html.escape(text)}</{tag}>")
        lines.append("</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def html_page(body, font_family="Liberation Sans", font=10):
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>body {{ font-family: \'{font_family}\'; '
            f'font-size: {font}pt }}</style></head><body>\n{body}\n</body></html>\n')


def grid_of(theme, rng, n):
    header, rows = theme(rng, n)
    return [header] + rows


# ------------------------------------------------------------------ spreadsheets

def format_number(value, code):
    """The text LibreOffice prints for VALUE under the format CODE (only the codes used here;
    values are pre-rounded to the shown decimals so no rounding rule is involved)."""
    sign = "-" if value < 0 else ""
    if code == "General":
        return str(value)
    if code == "#,##0":
        return f"{sign}{abs(value):,.0f}"
    if code == "#,##0.00":
        return f"{sign}{abs(value):,.2f}"
    if code == "0.00":
        return f"{sign}{abs(value):.2f}"
    if code == '"$"#,##0.00':
        return f"{sign}${abs(value):,.2f}"
    if code == "#,##0;(#,##0)":
        return f"({abs(value):,.0f})" if value < 0 else f"{value:,.0f}"
    if code == "0.0%":
        return f"{sign}{abs(value) * 100:.1f}%"
    raise ValueError(code)


def write_block(ws, top, left, header, rows, formats, style="ruled", merges=(), font=10, wrap_cols=(), header_rows=1):
    """Writes HEADER + ROWS at (TOP, LEFT) (1-based); ROWS hold numbers where FORMATS[c] is a code.
    Returns the printed grid. MERGES are (r0, c0, r1, c1) in block coordinates (0-based, inclusive)."""
    from openpyxl.styles import Alignment, Border, Font, Side
    thin, none = Side(style="thin", color="000000"), Side(style=None)
    grid = []
    all_rows = ([header] if header_rows == 1 else header) + rows
    hr = header_rows
    covered = set()
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    for r, row in enumerate(all_rows):
        printed = []
        for c, value in enumerate(row):
            cell = ws.cell(row=top + r, column=left + c)
            if (r, c) in covered:
                printed.append("")
                continue
            code = formats[c] if r >= hr else None
            if code and isinstance(value, (int, float)):
                cell.value, cell.number_format = value, code
                printed.append(format_number(value, code))
            else:
                cell.value = value if value != "" else None
                printed.append("" if value is None else str(value))
            cell.font = Font(name="Liberation Sans", size=font, bold=r < hr)
            if c in wrap_cols:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif r < hr:
                cell.alignment = Alignment(horizontal="center")
            if style == "ruled":
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            elif style == "header-rule" and r == hr - 1:
                cell.border = Border(bottom=thin, left=none, right=none, top=none)
        grid.append(printed)
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=top + r0, start_column=left + c0, end_row=top + r1, end_column=left + c1)
        if style == "ruled":  # merged ranges keep the borders of each covered cell
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    ws.cell(row=top + r, column=left + c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
    return grid


def fit_widths(ws, grid, left=1, minimum=6, fixed=None):
    from openpyxl.utils import get_column_letter
    fixed = fixed or {}
    for c in range(max(len(row) for row in grid)):
        letter = get_column_letter(left + c)
        longest = max(len(row[c]) for row in grid if c < len(row))
        ws.column_dimensions[letter].width = fixed.get(c, max(minimum, longest * 1.15 + 3))


def numeric_rows(rng, n, kind):
    """(header, rows, formats) with numbers kept as numbers."""
    if kind == "budget":
        header = ["Department", "Q1", "Q2", "Q3", "Q4", "Share"]
        rows = [[name] + [rng.randint(-25_000, 260_000) for _ in range(4)] + [round(rng.uniform(0.01, 0.4), 3)]
                for name in rng.sample(themes.DEPARTMENTS, n)]
        return header, rows, [None, "#,##0", "#,##0", "#,##0", "#,##0", "0.0%"]
    if kind == "ledger":
        header = ["Account", "Debit", "Credit", "Net"]
        rows = []
        for code in rng.sample(range(1000, 9999), n):
            debit, credit = rng.randint(0, 90_000), rng.randint(0, 90_000)
            rows.append([f"{code} {rng.choice(['Cash', 'Receivables', 'Inventory', 'Payables', 'Wages', 'Rent', 'Travel'])}",
                         debit, credit, debit - credit])
        return header, rows, [None, "#,##0;(#,##0)", "#,##0;(#,##0)", "#,##0;(#,##0)"]
    if kind == "prices":
        header = ["Product", "List price", "Discount", "Net price", "Stock"]
        rows = []
        for product in rng.sample(themes.PRODUCTS, n):
            price = round(rng.uniform(1, 4000), 2)
            discount = round(rng.choice([0, 0.05, 0.1, 0.125, 0.2]), 3)
            rows.append([product, price, discount, round(price * (1 - discount), 2), rng.randint(-40, 5000)])
        return header, rows, [None, '"$"#,##0.00', "0.0%", '"$"#,##0.00', "#,##0"]
    if kind == "countries":
        header = ["Country", "Population", "Area", "Density", "Life exp."]
        rows = []
        for name in rng.sample(themes.COUNTRIES, n):
            population, area = rng.randint(300_000, 99_000_000), rng.randint(20_000, 1_300_000)
            rows.append([name, population, area, round(population / area, 2), round(rng.uniform(58, 84), 2)])
        return header, rows, [None, "#,##0", "#,##0", "#,##0.00", "0.00"]
    if kind == "monthly":
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        header = ["Region"] + months + ["Year"]
        rows = []
        for city in rng.sample(themes.CITIES, n):
            values = [rng.randint(-900, 30_000) for _ in months]
            rows.append([city] + values + [sum(values)])
        return header, rows, [None] + ["#,##0"] * 13
    if kind == "statement":
        header, rows = themes.transactions(rng, n)
        out = []
        for row in rows:
            out.append(row[:3] + [float(row[3].replace(",", "")), float(row[4].replace(",", ""))])
        return header, out, [None, None, None, "#,##0.00", "#,##0.00"]
    raise ValueError(kind)


def new_sheet(landscape=False):
    import openpyxl
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Data"
    if landscape:
        ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return book, ws


# ------------------------------------------------------------------ the corpus

def build(rng):
    """Returns the document specs: name, kind, source (text or workbook), tables, features, post."""
    docs = []

    def add_html(name, body, tables, features, post=None, **page):
        docs.append({"name": name, "kind": "html", "source": html_page(body, **page), "tables": tables,
                     "features": features, "post": post})

    def single(name, theme, n, style, features, font=None, family="Liberation Sans", intro=True, **kwargs):
        grid = grid_of(theme, rng, n)
        body = (f"<h2>{html.escape(name.replace('_', ' ').title())}</h2><p>{LOREM}</p>" if intro else "")
        body += html_table(grid, style=style, font=font, **kwargs)
        if intro:
            body += f"<p>{LOREM[:160]}</p>"
        add_html(name, body, [{"page": 0, "rows": grid}], features, font_family=family)

    # ruled, unruled, rule variants, fonts
    single("ruled_countries", themes.countries, 12, "ruled", ["ruled", "numbers"], align_right=(2, 3, 4, 5))
    single("ruled_invoice_serif", themes.invoice, 9, "ruled", ["ruled", "currency"], family="Liberation Serif", align_right=(2, 3, 4))
    single("ruled_inventory", themes.inventory, 14, "ruled", ["ruled", "currency", "numbers"], width="100%")
    single("ruled_lab", themes.lab, 10, "ruled", ["ruled", "empty-cells"], intro=False)
    single("ruled_weather", themes.weather, 12, "ruled", ["ruled", "negatives", "decimals"], align_right=(2, 3, 4, 5))
    single("unruled_timetable", themes.timetable, 11, "unruled", ["unruled", "empty-cells"])
    single("unruled_league", themes.league, 12, "unruled", ["unruled", "signed-numbers"], align_right=tuple(range(2, 10)))
    single("unruled_directory", themes.directory, 14, "unruled", ["unruled", "empty-cells"], family="Liberation Serif")
    single("unruled_budget", themes.budget, 8, "unruled", ["unruled", "negatives", "thousands"], align_right=(1, 2, 3, 4, 5))
    single("unruled_countries_wide", themes.countries, 15, "unruled", ["unruled", "numbers"], width="100%", intro=False)
    single("header_rule_ledger", themes.ledger, 12, "header-rule", ["header-rule", "accounting-negatives"], align_right=(1, 2, 3))
    single("header_rule_lab", themes.lab, 9, "header-rule", ["header-rule", "empty-cells"])
    single("header_rule_weather", themes.weather, 14, "header-rule", ["header-rule", "negatives"], family="Liberation Serif")
    single("booktabs_countries", themes.countries, 10, "booktabs", ["booktabs", "numbers"], align_right=(2, 3, 4, 5))
    single("booktabs_inventory", themes.inventory, 11, "booktabs", ["booktabs", "currency"])
    single("shaded_league", themes.league, 10, "shaded", ["shaded-rows", "unruled"])
    single("shaded_budget", themes.budget, 7, "shaded", ["shaded-rows", "negatives", "thousands"], align_right=(1, 2, 3, 4, 5))
    single("small_font_ruled", themes.inventory, 16, "ruled", ["ruled", "small-font"], font=6)
    single("small_font_unruled", themes.countries, 18, "unruled", ["unruled", "small-font"], font=7)
    single("multiline_sessions_ruled", themes.sessions, 8, "ruled", ["ruled", "multi-line-cells"],
           wrap_cols={2: 160})
    single("multiline_sessions_unruled", themes.sessions, 7, "unruled", ["unruled", "multi-line-cells"],
           wrap_cols={2: 150})

    # multi-line: description column
    header = ["Code", "Description", "Status", "Owner"]
    notes = ["Replace the worn seal on the north pump before the spring inspection",
             "Order spare filters for all three compressors and store them in bay four",
             "Check the emergency lighting on every floor and log the results", "Repaint the loading dock markings",
             "Update the wiring diagram after the panel upgrade in building C",
             "Calibrate the scales in the dispatch area using the certified weights"]
    grid = [header] + [[f"WO-{rng.randint(1000, 9999)}", note, rng.choice(["Open", "Done", "Waiting", ""]),
                        rng.choice(themes.PEOPLE)] for note in notes]
    add_html("multiline_work_orders", html_table(grid, style="header-rule", wrap_cols={1: 200}),
             [{"page": 0, "rows": grid}], ["header-rule", "multi-line-cells", "empty-cells"])

    # merged cells
    header, rows = themes.invoice(rng, 6)
    subtotal = sum(float(row[4].replace("$", "").replace(",", "")) for row in rows)
    tax = round(subtotal * 0.2, 2)
    grid = [header] + rows + [["Subtotal", "", "", "", themes.money(subtotal)], ["VAT 20%", "", "", "", themes.money(tax)],
                              ["Total due", "", "", "", themes.money(subtotal + tax)]]
    n = len(grid)
    spans = {(n - 3, 0): (1, 4), (n - 2, 0): (1, 4), (n - 1, 0): (1, 4)}
    add_html("merged_invoice_totals", "<h2>Invoice 2024-0117</h2><p>Bill to: Harbour City Traders, 14 Quay Street.</p>"
             + html_table(grid, style="ruled", spans=spans, align_right=(2, 3, 4)),
             [{"page": 0, "rows": grid}], ["ruled", "merged-cells", "colspan", "currency"])

    students = rng.sample(themes.PEOPLE, 8)
    grid = [["Student", "Term 1", "", "Term 2", "", "Final"], ["", "Score", "Grade", "Score", "Grade", ""]]
    for student in students:
        s1, s2 = rng.randint(35, 100), rng.randint(35, 100)
        grade = lambda s: "A" if s >= 85 else "B" if s >= 70 else "C" if s >= 55 else "D"  # noqa: E731
        grid.append([student, str(s1), grade(s1), str(s2), grade(s2), grade((s1 + s2) // 2)])
    spans = {(0, 0): (2, 1), (0, 1): (1, 2), (0, 3): (1, 2), (0, 5): (2, 1)}
    add_html("merged_grade_groups", html_table(grid, header_rows=2, style="ruled", spans=spans),
             [{"page": 0, "rows": grid}], ["ruled", "merged-cells", "colspan", "rowspan", "two-row-header"])
    add_html("merged_grade_groups_unruled", html_table(grid, header_rows=2, style="booktabs", spans=spans),
             [{"page": 0, "rows": grid}], ["booktabs", "merged-cells", "colspan", "rowspan"])

    grid, spans = [["Day", "Time", "Activity", "Location"]], {}
    for day in ["Monday", "Tuesday", "Wednesday"]:
        count = rng.randint(2, 4)
        spans[(len(grid), 0)] = (count, 1)
        for index in range(count):
            grid.append([day if index == 0 else "", f"{9 + index * 2:02d}:00",
                         rng.choice(["Workshop", "Site visit", "Lecture", "Lab session", "Seminar", "Review"]),
                         rng.choice(themes.CITIES)])
    add_html("merged_rowspan_schedule", html_table(grid, style="ruled", spans=spans),
             [{"page": 0, "rows": grid}], ["ruled", "merged-cells", "rowspan"])

    # numbers-heavy
    single("numbers_ledger_ruled", themes.ledger, 14, "ruled", ["ruled", "accounting-negatives", "thousands"], align_right=(1, 2, 3))

    # several tables on one page
    g1, g2, g3 = grid_of(themes.budget, rng, 5), grid_of(themes.lab, rng, 5), grid_of(themes.league, rng, 6)
    add_html("multi_three_tables", "<h3>Budget</h3>" + html_table(g1, style="ruled", align_right=(1, 2, 3, 4, 5))
             + "<h3>Laboratory</h3><p>Values outside the range are flagged.</p>" + html_table(g2, style="unruled")
             + "<h3>League</h3>" + html_table(g3, style="header-rule", font=9),
             [{"page": 0, "rows": g} for g in (g1, g2, g3)], ["several-tables", "ruled", "unruled", "header-rule"])
    g1, g2 = grid_of(themes.weather, rng, 6), grid_of(themes.directory, rng, 6)
    add_html("multi_two_ruled", f"<p>{LOREM}</p>" + html_table(g1, style="ruled") + f"<p>{LOREM}</p>" + html_table(g2, style="ruled"),
             [{"page": 0, "rows": g} for g in (g1, g2)], ["several-tables", "ruled"])
    g1, g2 = grid_of(themes.timetable, rng, 6), grid_of(themes.invoice, rng, 5)
    add_html("multi_two_unruled", f"<p>{LOREM}</p>" + html_table(g1, style="unruled") + f"<p>{LOREM[:120]}</p>"
             + html_table(g2, style="unruled", align_right=(2, 3, 4)), [{"page": 0, "rows": g} for g in (g1, g2)],
             ["several-tables", "unruled", "empty-cells"])

    # two-column text pages
    g = [["Year", "Units", "Share"]] + [[str(2016 + i), f"{rng.randint(1000, 90000):,}", f"{rng.uniform(1, 40):.1f}%"] for i in range(5)]
    add_html("two_column_table_in_column", f"<h2>Annual review</h2><multicol cols=\"2\"><p>{LOREM}</p>"
             + html_table(g, style="ruled") + f"<p>{LOREM * 5}</p></multicol>",
             [{"page": 0, "rows": g}], ["two-column-text", "ruled"])
    g = grid_of(themes.countries, rng, 8)
    add_html("two_column_table_between", f"<h2>Regional summary</h2><multicol cols=\"2\"><p>{LOREM * 3}</p></multicol>"
             + html_table(g, style="header-rule", width="100%") + f"<multicol cols=\"2\"><p>{LOREM * 3}</p></multicol>",
             [{"page": 0, "rows": g}], ["two-column-text", "header-rule"])
    g = [["Metric", "Value"]] + [[m, f"{rng.uniform(0, 500):.2f}"] for m in ["Latency p50", "Latency p99", "Errors", "Retries", "Queue depth"]]
    add_html("two_column_unruled_in_column", f"<multicol cols=\"2\"><p>{LOREM}</p>" + html_table(g, style="unruled")
             + f"<p>{LOREM * 5}</p></multicol>", [{"page": 0, "rows": g}], ["two-column-text", "unruled"])

    # empty cells
    header = ["Item"] + [f"Week {i}" for i in range(1, 7)]
    g = [header] + [[p] + ["" if rng.random() < 0.5 else str(rng.randint(1, 99)) for _ in range(6)] for p in rng.sample(themes.PRODUCTS, 9)]
    add_html("empty_cells_ruled", html_table(g, style="ruled"), [{"page": 0, "rows": g}], ["ruled", "empty-cells", "sparse"])
    g = [header] + [[p] + ["" if rng.random() < 0.5 else str(rng.randint(1, 99)) for _ in range(6)] for p in rng.sample(themes.PRODUCTS, 9)]
    add_html("empty_cells_unruled", html_table(g, style="unruled"), [{"page": 0, "rows": g}], ["unruled", "empty-cells", "sparse"])

    # long tables (page split resolved from the printed text)
    for name, style in (("long_statement_ruled", "ruled"), ("long_statement_unruled", "unruled")):
        header, rows = themes.transactions(rng, 62)
        body = f"<h2>Account statement</h2><p>{LOREM}</p>" + html_table([header] + rows, style=style, width="100%", align_right=(3, 4))
        add_html(name, body, [{"split": True, "header": header, "rows": rows, "key": 1}], [style, "two-pages", "negatives"])

    # viewer-rotated page (/Rotate 90 on the page dictionary)
    g = grid_of(themes.inventory, rng, 10)
    add_html("rotated_flag_ruled", html_table(g, style="ruled"), [{"page": 0, "rows": g}], ["ruled", "rotate-90-flag"], post="rotate-flag")

    # ---- spreadsheets
    def add_xlsx(name, book, tables, features, post=None):
        docs.append({"name": name, "kind": "xlsx", "source": book, "tables": tables, "features": features, "post": post})

    def sheet(name, kind, n, style, features, landscape=False, font=10, post=None, fit=False):
        book, ws = new_sheet(landscape)
        header, rows, formats = numeric_rows(rng, n, kind)
        grid = write_block(ws, 1, 1, header, rows, formats, style=style, font=font)
        fit_widths(ws, grid)
        if fit:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        add_xlsx(name, book, [{"page": 0, "rows": grid}], ["spreadsheet"] + features, post)

    sheet("xlsx_budget_ruled", "budget", 8, "ruled", ["ruled", "thousands", "negatives", "percent"])
    sheet("xlsx_ledger_header_rule", "ledger", 12, "header-rule", ["header-rule", "accounting-negatives"])
    sheet("xlsx_prices_unruled", "prices", 12, "none", ["unruled", "currency", "negatives", "percent"])
    sheet("xlsx_countries_unruled", "countries", 14, "none", ["unruled", "thousands", "decimals"])
    sheet("xlsx_monthly_landscape_ruled", "monthly", 10, "ruled", ["ruled", "landscape", "negatives", "fit-to-width"], landscape=True, fit=True)
    sheet("xlsx_monthly_landscape_unruled", "monthly", 12, "none", ["unruled", "landscape", "fit-to-width"], landscape=True, fit=True)
    sheet("xlsx_sideways_ruled", "monthly", 9, "ruled", ["ruled", "rotated-content", "fit-to-width"], landscape=True, fit=True, post="sideways")
    sheet("xlsx_small_font_ruled", "countries", 26, "ruled", ["ruled", "small-font", "thousands", "decimals"], font=6)

    for name, style, repeat in (("xlsx_long_ruled_repeat_header", "ruled", True), ("xlsx_long_unruled", "none", False)):
        from openpyxl.worksheet.pagebreak import Break
        book, ws = new_sheet()
        header, rows, formats = numeric_rows(rng, 70, "statement")
        grid = write_block(ws, 1, 1, header, rows, formats, style=style, font=9)
        fit_widths(ws, grid)
        ws.row_breaks.append(Break(id=41))  # rows 1..41 (header + 40) on page 1
        if repeat:
            ws.print_title_rows = "1:1"
        second = ([grid[0]] if repeat else []) + grid[41:]
        add_xlsx(name, book, [{"page": 0, "rows": grid[:41]}, {"page": 1, "rows": second}],
                 ["spreadsheet", style if style == "ruled" else "unruled", "two-pages", "manual-page-break"]
                 + (["repeated-header"] if repeat else []))

    # merged ranges: a group header over quarter columns and a vertically merged category
    book, ws = new_sheet()
    header = [["Category", "Product", "First half", "", "Second half", ""], ["", "", "Q1", "Q2", "Q3", "Q4"]]
    rows = []
    for category in ["Hardware", "Electrical", "Plumbing"]:
        for index, product in enumerate(rng.sample(themes.PRODUCTS, 3)):
            rows.append([category if index == 0 else "", product] + [rng.randint(-500, 40_000) for _ in range(4)])
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 0, 5), (2, 0, 4, 0), (5, 0, 7, 0), (8, 0, 10, 0)]
    grid = write_block(ws, 1, 1, header, rows, [None, None] + ["#,##0"] * 4, style="ruled", merges=merges, header_rows=2)
    fit_widths(ws, grid)
    add_xlsx("xlsx_merged_groups", book, [{"page": 0, "rows": grid}], ["spreadsheet", "ruled", "merged-cells", "rowspan", "colspan"])

    # wrapped text cells
    book, ws = new_sheet()
    header = ["Ticket", "Summary", "Priority", "Hours"]
    summaries = ["Customer cannot download the March invoice from the portal",
                 "Nightly export stops halfway when the archive is larger than two gigabytes",
                 "Password reset mail arrives after the link has already expired", "Typo on the pricing page",
                 "Report totals differ between the dashboard and the monthly statement",
                 "Add the new warehouse to the shipping calculator"]
    rows = [[f"#{rng.randint(4000, 9999)}", s, rng.choice(["High", "Low", "Medium"]), round(rng.uniform(0.5, 40), 2)] for s in summaries]
    grid = write_block(ws, 1, 1, header, rows, [None, None, None, "0.00"], style="ruled", wrap_cols=(1,))
    fit_widths(ws, grid, fixed={1: 34})
    import textwrap
    for r, row in enumerate(grid[1:], 2):  # LibreOffice keeps the stored row height: give wrapped rows room
        ws.row_dimensions[r].height = 14 * len(textwrap.wrap(row[1], 30)) + 3
    add_xlsx("xlsx_wrapped_text", book, [{"page": 0, "rows": grid}], ["spreadsheet", "ruled", "multi-line-cells"])

    # two blocks on one sheet, with a title row that is not a table cell
    book, ws = new_sheet()
    from openpyxl.styles import Font
    ws.cell(row=1, column=1, value="Sales by region").font = Font(name="Liberation Sans", size=12, bold=True)
    header, rows, formats = numeric_rows(rng, 6, "budget")
    g1 = write_block(ws, 3, 1, header, rows, formats, style="ruled")
    top = 3 + len(g1) + 3
    ws.cell(row=top - 1, column=1, value="Price list").font = Font(name="Liberation Sans", size=12, bold=True)
    header, rows, formats = numeric_rows(rng, 7, "prices")
    g2 = write_block(ws, top, 1, header, rows, formats, style="header-rule")
    fit_widths(ws, [[max((r[c] for r in g1 + g2 if c < len(r)), key=len) for c in range(6)]])
    add_xlsx("xlsx_two_blocks", book, [{"page": 0, "rows": g1}, {"page": 0, "rows": g2}],
             ["spreadsheet", "several-tables", "ruled", "header-rule"])

    # CSV through LibreOffice's default import: plain text and integers, no borders
    for name, theme in (("csv_directory", themes.directory), ("csv_timetable", themes.timetable)):
        grid = grid_of(theme, rng, 12)
        import csv, io
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(grid)
        docs.append({"name": name, "kind": "csv", "source": buffer.getvalue(), "tables": [{"page": 0, "rows": grid}],
                     "features": ["csv", "unruled", "page-header-footer-noise"], "post": None})
    return docs


# ------------------------------------------------------------------ conversion and checks

def normalise(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def page_texts(pdf):
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def resolve_splits(doc, texts):
    """A table marked split gets one entry per page: each row goes to the page whose text holds its key."""
    tables = []
    for table in doc["tables"]:
        if not table.get("split"):
            tables.append(table)
            continue
        by_page = {}
        for row in table["rows"]:
            page = next(i for i, text in enumerate(texts) if row[table["key"]] in text)
            by_page.setdefault(page, []).append(row)
        header_pattern = r"\s+".join(re.escape(cell) for cell in table["header"])
        for page in sorted(by_page):
            header = [table["header"]] if re.search(header_pattern, texts[page]) else []
            tables.append({"page": page, "rows": header + by_page[page]})
    return tables


def check(doc, texts):
    """Each non-empty cell must be printed on its page: whole and between spaces (one-line cells), or
    word by word (wrapped cells), so that "08:33" does not pass for a printed "08:33:00 AM"."""
    problems = []
    for table in doc["tables"]:
        text = normalise(texts[table["page"]]) if table["page"] < len(texts) else ""
        words = set(text.split())
        for row in table["rows"]:
            for cell in row:
                cell = normalise(cell)
                if not cell or re.search(r"(?<!\S)" + re.escape(cell) + r"(?!\S)", text):
                    continue
                missing = [word for word in cell.split() if word not in words]
                if missing:
                    problems.append(f"{doc['name']} page {table['page']}: cell {cell!r} not printed (missing {missing})")
    return problems


def rotate(pdf, mode):
    from pypdf import PdfWriter
    writer = PdfWriter(clone_from=pdf)
    for page in writer.pages:
        page.rotate(90)
        if mode == "sideways":
            page.transfer_rotation_to_content()  # a portrait page whose text runs bottom-to-top
    with open(pdf + ".tmp", "wb") as handle:
        writer.write(handle)
    os.replace(pdf + ".tmp", pdf)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir")
    parser.add_argument("--soffice", default="soffice")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--keep-sources", action="store_true", help="keep the HTML/XLSX/CSV next to the PDFs")
    args = parser.parse_args()
    started = time.time()
    os.makedirs(args.outdir, exist_ok=True)
    docs = build(random.Random(args.seed))
    work = tempfile.mkdtemp(prefix="quire-tablecorpus-")
    try:
        sources = []
        for doc in docs:
            path = os.path.join(work, f"{doc['name']}.{doc['kind']}")
            if doc["kind"] == "xlsx":
                doc["source"].save(path)
            else:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(doc["source"])
            sources.append(path)
        profile = f"-env:UserInstallation=file://{work}/profile"
        # HTML goes through Writer's own HTML import: Writer/Web (the default for .html) drops the
        # first paragraph and adds a blank page when text precedes a table (seen with LibreOffice 7.4).
        # CSV is read as UTF-8, comma-separated, quoted by '"', every column as text (else "08:33"
        # is printed as a time, "08:33:00 AM").
        text_columns = "/".join(f"{column}/2" for column in range(1, 11))
        batches = [(["--infilter=HTML (StarWriter)"], ".html"), ([f"--infilter=CSV:44,34,76,1,{text_columns}"], ".csv"),
                   ([], ".xlsx")]
        for extra, suffix in batches:
            batch = [path for path in sources if path.endswith(suffix)]
            result = subprocess.run([args.soffice, profile, "--headless", "--norestore", *extra, "--convert-to", "pdf",
                                     "--outdir", args.outdir, *batch], capture_output=True, text=True, timeout=900)
        problems = []
        for doc in docs:
            pdf = os.path.join(args.outdir, doc["name"] + ".pdf")
            if not os.path.exists(pdf):
                problems.append(f"{doc['name']}: LibreOffice wrote no PDF ({result.stderr.strip()[-300:]})")
                continue
            if doc["post"]:
                rotate(pdf, doc["post"])
            texts = page_texts(pdf)
            doc["tables"] = resolve_splits(doc, texts)
            problems += check(doc, texts)
            pages = len(texts) - 1 if texts and texts[-1] == "" else len(texts)
            with open(os.path.join(args.outdir, doc["name"] + ".json"), "w", encoding="utf-8") as handle:
                json.dump({"tables": doc["tables"], "features": doc["features"], "pages": pages, "source": doc["kind"]},
                          handle, ensure_ascii=False, indent=1)
            if args.keep_sources:
                shutil.copy(os.path.join(work, f"{doc['name']}.{doc['kind']}"), args.outdir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(docs)} documents in {args.outdir} ({time.time() - started:.1f} s)")
    if problems:
        print("ground truth does not match the printed text:", *problems, sep="\n  ", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
