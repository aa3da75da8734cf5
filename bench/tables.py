#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Table-extraction accuracy: pdfplumber, camelot and Quire on the same generated corpus, same run.

  bench/tables.py [--corpus DIR] [--quire PATH] [--skip-quire] [--skip-camelot] [--json OUT]

The corpus (bench/tables/make_corpus.py: PDFs with known cells) is generated into a temp dir unless
--corpus names one already made. Extractors, each timed over the whole corpus in this one process
(wall time, pages/s = corpus pages / that time):
  pdfplumber         page.extract_tables() with its defaults (ruling lines), every page.
  pdfplumber-text    the same with vertical/horizontal_strategy "text" (for tables without rules).
  camelot-lattice    camelot.read_pdf(flavor="lattice") per page.
  camelot-stream     camelot.read_pdf(flavor="stream") per page.
  camelot-auto       per page: lattice where lattice finds a table (the page has rules), else stream;
                     its time is lattice on every page plus stream on the pages lattice left empty.
  quire              through the HTTP API as a PDF.co client: upload (presigned URL), then
                     POST /v1/pdf/find/table, then per table found POST /v1/pdf/convert/to/csv with
                     pages=PageIndex, rect="X Y Width Height", inline=true; the CSV answer is parsed
                     into rows. An answer 501 reports the extractor "not available (501)".
Scoring: bench/tables/score.py (ICDAR 2013 adjacency relations per PDF, micro-averaged; and exact
cells). Prints a Markdown table and writes the JSON (totals and per-PDF counts) to --json, by default
CORPUS/results.json (with --corpus) or TMPDIR/quire-tables-results.json.

Python packages: bench/tables/requirements.txt. When they are missing, this script makes a venv in
the temp dir (quire-tablebench-venv), installs them there and runs itself again with it.
"""
import argparse, csv, glob, io, json, os, shutil, subprocess, sys, tempfile, time, urllib.error, warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "tables"))
REQUIREMENTS = os.path.join(HERE, "tables", "requirements.txt")


def ensure_packages():
    import quire_api
    quire_api.ensure_packages(["camelot", "openpyxl", "pdfplumber", "pypdf"], "quire-tablebench-venv", ["-r", REQUIREMENTS])


class NotAvailable(Exception):
    """The extractor cannot run here (missing server endpoint, binary)."""


# ------------------------------------------------------------------ extractors
# Each takes a PDF path and returns [{"page": 0-based, "rows": [[text, ...], ...]}, ...].

def rows_of(table):
    return [["" if cell is None else str(cell) for cell in row] for row in table]


def pdfplumber_tables(path, settings=None):
    import pdfplumber
    found = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            for table in (page.extract_tables(settings) if settings else page.extract_tables()):
                found.append({"page": index, "rows": rows_of(table)})
    return found


def page_count(path):
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


def camelot_page(path, page, flavor):
    import camelot
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(path, pages=str(page + 1), flavor=flavor)
    return [{"page": page, "rows": rows_of(table.df.values.tolist())} for table in tables]


def parse_csv(text):
    """PDF.co's CSV: `,` separated, cells quoted with `"` when needed, rows ending CRLF or LF."""
    text = text.lstrip("\ufeff")
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=",", quotechar='"')]


class Quire:
    """A running `quire serve` and the PDF.co calls of one PDF's tables."""

    def __init__(self, binary, work):
        from quire_api import start_server
        if not os.path.exists(binary):
            raise NotAvailable(f"not available (no binary {os.path.relpath(binary, ROOT)})")
        self.server, self.base = start_server(work, binary=binary)

    def call(self, path, body):
        from quire_api import http
        data = json.dumps(body).encode()
        try:
            answer = json.loads(http("POST", self.base + path, data, {"Content-Type": "application/json"}))
        except urllib.error.HTTPError as error:
            if error.code == 501:
                raise NotAvailable("not available (501)")
            raise RuntimeError(f"{path}: HTTP {error.code} {error.read()[:200]!r}")
        if answer.get("error"):
            raise RuntimeError(f"{path}: {answer.get('status')} {answer.get('message')}")
        return answer

    def tables(self, pdf):
        from quire_api import upload
        url = upload(self.base, pdf)
        answer = self.call("/v1/pdf/find/table", {"url": url, "async": False})
        found = []
        for table in (answer.get("body") or {}).get("tables", []):
            page = int(table["PageIndex"])
            rect = " ".join(str(table[key]) for key in ("X", "Y", "Width", "Height"))
            converted = self.call("/v1/pdf/convert/to/csv", {"url": url, "pages": str(page), "rect": rect,
                                                             "inline": True, "async": False, "unwrap": True, "lineGrouping": "1"})
            found.append({"page": page, "rows": parse_csv(converted.get("body") or "")})
        return found

    def stop(self):
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()


# ------------------------------------------------------------------ the run

def run(name, documents, extract):
    """Runs EXTRACT over every document; returns its result record (time, counts, errors)."""
    started, output, errors = time.perf_counter(), {}, {}
    for document in documents:
        try:
            output[document["name"]] = extract(document["pdf"])
        except NotAvailable:
            raise
        except Exception as error:  # one PDF's failure costs its score, not the run
            output[document["name"]] = []
            errors[document["name"]] = f"{type(error).__name__}: {error}"[:300]
    seconds = time.perf_counter() - started
    return finish(name, documents, output, errors, seconds)


def finish(name, documents, output, errors, seconds):
    from score import aggregate, score_document
    per_document = {}
    for document in documents:
        truth = [table["rows"] for table in document["truth"]["tables"]]
        per_document[document["name"]] = score_document(truth, [table["rows"] for table in output[document["name"]]])
    pages = sum(document["pages"] for document in documents)
    return {"extractor": name, "available": True, "seconds": seconds, "pages": pages, "pages_per_second": pages / seconds,
            "tables_found": sum(len(tables) for tables in output.values()), **aggregate(per_document.values()),
            "errors": errors, "documents": per_document}


def camelot_runs(documents):
    """Lattice and stream per page, timed per page, and the auto choice derived from them."""
    times = {"lattice": 0.0, "stream": 0.0, "auto": 0.0}
    output = {flavor: {} for flavor in times}
    errors = {flavor: {} for flavor in times}
    for document in documents:
        for flavor in ("lattice", "stream", "auto"):
            output[flavor][document["name"]] = []
        for page in range(document["pages"]):
            per_flavor = {}
            for flavor in ("lattice", "stream"):
                started = time.perf_counter()
                try:
                    per_flavor[flavor] = camelot_page(document["pdf"], page, flavor)
                except Exception as error:
                    per_flavor[flavor] = []
                    errors[flavor][document["name"]] = f"page {page}: {type(error).__name__}: {error}"[:300]
                elapsed = time.perf_counter() - started
                times[flavor] += elapsed
                output[flavor][document["name"]] += per_flavor[flavor]
                if flavor == "lattice" or not per_flavor["lattice"]:
                    times["auto"] += elapsed
            output["auto"][document["name"]] += per_flavor["lattice"] or per_flavor["stream"]
    return [finish(f"camelot-{flavor}", documents, output[flavor], errors[flavor], times[flavor])
            for flavor in ("lattice", "stream", "auto")]


def load_corpus(directory):
    documents = []
    for truth_path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        pdf = truth_path[:-5] + ".pdf"
        if not os.path.exists(pdf):
            continue
        truth = json.load(open(truth_path, encoding="utf-8"))
        documents.append({"name": os.path.basename(pdf)[:-4], "pdf": pdf, "truth": truth,
                          "pages": truth.get("pages") or page_count(pdf)})
    return documents


def unavailable(name, reason):
    return {"extractor": name, "available": False, "reason": reason}


def print_table(results, documents):
    pages = sum(document["pages"] for document in documents)
    print(f"\n{len(documents)} PDFs, {pages} pages, "
          f"{sum(len(document['truth']['tables']) for document in documents)} true tables\n")
    print("| extractor | adjacency precision | recall | F1 | exact cells (P / R) | tables found | pages/s | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        if not result["available"]:
            print(f"| {result['extractor']} | {result['reason']} | | | | | | |")
            continue
        print(f"| {result['extractor']} | {result['precision']:.3f} | {result['recall']:.3f} | {result['f1']:.3f} | "
              f"{result['cell_precision']:.3f} / {result['cell_recall']:.3f} | {result['tables_found']} | "
              f"{result['pages_per_second']:.1f} | {len(result['errors'])} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", help="an existing corpus directory (default: generate one in a temp dir)")
    parser.add_argument("--quire", default=os.path.join(ROOT, ".build/release/quire"), help="the quire binary")
    parser.add_argument("--skip-quire", action="store_true")
    parser.add_argument("--skip-camelot", action="store_true")
    parser.add_argument("--json", help="where to write the results (default CORPUS/results.json)")
    args = parser.parse_args()
    ensure_packages()
    work = tempfile.mkdtemp(prefix="quire-tablebench-")
    try:
        corpus = args.corpus
        if not corpus:
            corpus = os.path.join(work, "corpus")
            subprocess.run([sys.executable, os.path.join(HERE, "tables", "make_corpus.py"), corpus], check=True)
        documents = load_corpus(corpus)
        if not documents:
            raise SystemExit(f"no PDF with a ground-truth JSON in {corpus}")
        results = [run("pdfplumber", documents, pdfplumber_tables),
                   run("pdfplumber-text", documents,
                       lambda pdf: pdfplumber_tables(pdf, {"vertical_strategy": "text", "horizontal_strategy": "text"}))]
        if not args.skip_camelot:
            results += camelot_runs(documents)
        if not args.skip_quire:
            quire = None
            try:
                quire = Quire(os.path.abspath(args.quire), work)
                results.append(run("quire", documents, quire.tables))
            except NotAvailable as reason:
                results.append(unavailable("quire", str(reason)))
            finally:
                if quire:
                    quire.stop()
        print_table(results, documents)
        out = args.json or (os.path.join(corpus, "results.json") if args.corpus
                            else os.path.join(tempfile.gettempdir(), "quire-tables-results.json"))
        with open(out, "w", encoding="utf-8") as handle:
            json.dump({"corpus": {"pdfs": len(documents), "pages": sum(d["pages"] for d in documents)},
                       "results": results}, handle, indent=1)
        print(f"\nresults: {out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
