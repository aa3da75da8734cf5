#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Times Quire's office-to-PDF conversion through the API beside plain LibreOffice, on the same
files in the same run, and prints a Markdown table with ratios plus a throughput line.

  bench/office.py [--office-workers N] [--runs 20] [--soffice-runs 5] [--concurrent 40] [--skip-quire]

Files (generated in a temp dir): 1-page DOCX, 30-page DOCX (text, tables, images), XLSX (400 rows),
PPTX (10 slides). For each file:
  quire      sync POST /pdf/convert/from/doc (XLSX: /xls/convert/to/pdf), request to answer,
             upload excluded; 2 warm-up calls, then median and min of --runs. The server is
             started as `quire serve --port 0 --data DIR --office-workers N`.
  soffice    `soffice --headless --convert-to pdf` per file: a cold process on a warm profile
             (the profile is created once before timing); median of --soffice-runs.
  unoserver  one warm `unoserver` (PyPI) started once, converted through its Python client;
             1 warm-up, then median of --runs.
Throughput: --concurrent simultaneous requests (threads) of the 1-page DOCX to Quire; wall time and
conversions per second. Run twice with different --office-workers to see the scaling.

Needs the release build (make release). A failing Quire half is reported and skipped.
"""
import argparse, concurrent.futures, glob, io, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time
import urllib.error, urllib.request

from quire_api import http, start_server as start_quire, upload  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

try:
    import docx, openpyxl, pptx  # noqa: F401
    from unoserver.client import UnoClient
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "python-docx", "openpyxl", "python-pptx", "unoserver"], check=True)
    import docx, openpyxl, pptx  # noqa: F401
    from unoserver.client import UnoClient


# ---------------------------------------------------------------- inputs

def png_bytes(seed):
    """A small valid PNG (64x48, RGB) without needing Pillow."""
    import struct, zlib
    width, height = 64, 48
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            row += bytes(((x * 4 + seed * 37) % 256, (y * 5) % 256, (seed * 71) % 256))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris. ")


def make_docx(path, pages):
    from docx.enum.text import WD_BREAK
    from docx.shared import Inches
    document = docx.Document()
    for page in range(pages):
        document.add_heading(f"Section {page + 1}", level=1)
        document.add_paragraph(LOREM * 4)
        if pages > 1 and page % 3 == 0:
            table = document.add_table(rows=4, cols=4)
            table.style = "Table Grid"
            for row in range(4):
                for column in range(4):
                    table.cell(row, column).text = f"R{row}C{column} {page}"
        if pages > 1 and page % 10 == 5:
            document.add_picture(io.BytesIO(png_bytes(page)), width=Inches(2))
        document.add_paragraph(LOREM * 3)
        if page + 1 < pages:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.save(path)


def make_xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["id", "name", "quantity", "price", "total"])
    for row in range(2, rows + 2):
        sheet.append([row - 1, f"Item {row - 1}", row % 17, round(1.5 + row % 23, 2), f"=C{row}*D{row}"])
    book.save(path)


def make_pptx(path, slides):
    presentation = pptx.Presentation()
    for number in range(1, slides + 1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = f"Slide {number}"
        body = slide.placeholders[1].text_frame
        body.text = f"Point one of slide {number}"
        for point in range(2, 5):
            body.add_paragraph().text = f"Point {point}: " + LOREM[:60]
    presentation.save(path)


# ---------------------------------------------------------------- helpers

def samples(run, runs, warmups):
    for _ in range(warmups):
        run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def uno_pythonpath(work):
    """unoserver's server half needs `import uno`. If this Python lacks it, point it at the
    distribution's uno.py / unohelper.py (Debian: python3-uno) through a small shim directory."""
    if subprocess.run([sys.executable, "-c", "import uno"], capture_output=True).returncode == 0:
        return os.environ.get("PYTHONPATH", "")
    candidates = glob.glob("/usr/lib/python3/dist-packages/uno.py") + glob.glob("/usr/lib/libreoffice/program/uno.py") \
        + glob.glob("/opt/libreoffice*/program/uno.py")
    if not candidates:
        raise RuntimeError("no uno.py found (apt-get install python3-uno)")
    shim = os.path.join(work, "unoshim")
    os.makedirs(shim, exist_ok=True)
    folder = os.path.dirname(candidates[0])
    for name in ("uno.py", "unohelper.py"):
        if os.path.exists(os.path.join(folder, name)):
            os.symlink(os.path.join(folder, name), os.path.join(shim, name))
    return os.pathsep.join(p for p in [shim, os.environ.get("PYTHONPATH", "")] if p)


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description="Quire office conversion vs soffice and unoserver")
    parser.add_argument("--office-workers", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--soffice-runs", type=int, default=5)
    parser.add_argument("--concurrent", type=int, default=40)
    parser.add_argument("--skip-quire", action="store_true", help="time only soffice and unoserver")
    options = parser.parse_args()

    work = tempfile.mkdtemp(prefix="quire-office-bench-")
    processes = []
    try:
        files = [("docx 1 page", os.path.join(work, "one.docx")), ("docx 30 pages", os.path.join(work, "thirty.docx")),
                 ("xlsx 400 rows", os.path.join(work, "rows.xlsx")), ("pptx 10 slides", os.path.join(work, "slides.pptx"))]
        make_docx(files[0][1], 1)
        make_docx(files[1][1], 30)
        make_xlsx(files[2][1], 400)
        make_pptx(files[3][1], 10)
        results = {label: {} for label, _ in files}
        errors = []

        # Quire
        quire_base = None
        if not options.skip_quire:
            try:
                server, quire_base = start_quire(work, ["--office-workers", str(options.office_workers)])
                processes.append(server)
            except Exception as error:  # noqa: BLE001
                errors.append(f"quire: {error}")
        uploaded = {}
        if quire_base:
            def quire_call(path):
                endpoint = "/xls/convert/to/pdf" if path.endswith(".xlsx") else "/pdf/convert/from/doc"
                body = json.dumps({"url": uploaded[path], "async": False, "name": "out.pdf"}).encode()
                try:
                    answer = json.loads(http("POST", quire_base + endpoint, body, {"Content-Type": "application/json"}))
                except urllib.error.HTTPError as error:
                    raise RuntimeError(f"HTTP {error.code} {endpoint}: {error.read()[:300]!r}") from None
                if answer.get("error") is not False:
                    raise RuntimeError(f"{endpoint}: {answer}")

            for label, path in files:
                try:
                    uploaded[path] = upload(quire_base, path)
                    results[label]["quire"] = samples(lambda: quire_call(path), options.runs, 2)
                except Exception as error:  # noqa: BLE001
                    errors.append(f"quire {label}: {error}")
            print(f"quire ({options.office_workers} office workers) done", file=sys.stderr)

        # soffice: cold process, warm profile
        profile = os.path.join(work, "soffice-profile")
        out = os.path.join(work, "soffice-out")
        os.makedirs(out)

        def soffice(path):
            subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", out, path],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
            if not os.path.exists(os.path.join(out, os.path.splitext(os.path.basename(path))[0] + ".pdf")):
                raise RuntimeError(f"soffice produced no PDF for {path}")

        try:
            soffice(files[0][1])  # creates the profile (first start is much slower), not timed
            for label, path in files:
                results[label]["soffice"] = samples(lambda: soffice(path), options.soffice_runs, 0)
            print("soffice done", file=sys.stderr)
        except Exception as error:  # noqa: BLE001
            errors.append(f"soffice: {error}")

        # unoserver: one warm server
        try:
            port, uno_port = free_port(), free_port()
            uno_log = open(os.path.join(work, "unoserver.log"), "w")
            environment = dict(os.environ, PYTHONPATH=uno_pythonpath(work))
            unoserver = subprocess.Popen([sys.executable, "-m", "unoserver.server", "--interface", "127.0.0.1", "--port", str(port),
                                          "--uno-port", str(uno_port), "--user-installation", os.path.join(work, "unoserver-profile")],
                                         stdout=uno_log, stderr=subprocess.STDOUT, env=environment, start_new_session=True)
            processes.append(unoserver)
            client = UnoClient(server="127.0.0.1", port=str(port))
            deadline = time.time() + 120
            while True:
                try:
                    client.convert(inpath=files[0][1], outpath=os.path.join(work, "uno-probe.pdf"))
                    break
                except Exception:  # noqa: BLE001
                    if time.time() > deadline or unoserver.poll() is not None:
                        raise RuntimeError("unoserver did not come up; see " + uno_log.name)
                    time.sleep(0.5)
            for label, path in files:
                target = os.path.join(work, "uno-" + os.path.basename(path) + ".pdf")
                results[label]["unoserver"] = samples(lambda: client.convert(inpath=path, outpath=target), options.runs, 1)
            print("unoserver done", file=sys.stderr)
        except Exception as error:  # noqa: BLE001
            errors.append(f"unoserver: {error}")

        # throughput
        throughput = None
        if quire_base and files[0][1] in uploaded:
            try:
                start = time.perf_counter()
                with concurrent.futures.ThreadPoolExecutor(max_workers=options.concurrent) as pool:
                    list(pool.map(lambda _: quire_call(files[0][1]), range(options.concurrent)))
                wall = time.perf_counter() - start
                throughput = (wall, options.concurrent / wall)
            except Exception as error:  # noqa: BLE001
                errors.append(f"quire throughput: {error}")
    finally:
        for process in processes:
            if process.poll() is None:
                try:
                    if process.args[1:3] == ["-m", "unoserver.server"]:
                        os.killpg(process.pid, 15)  # unoserver and the soffice it started
                    else:
                        process.terminate()
                    process.wait(timeout=30)
                except Exception:  # noqa: BLE001
                    process.kill()
        for process in processes:
            if process.args[1:3] == ["-m", "unoserver.server"]:
                try:
                    os.killpg(process.pid, 9)  # oosplash outlives SIGTERM
                except ProcessLookupError:
                    pass
        shutil.rmtree(work, ignore_errors=True)

    def cell(label, tool):
        value = results[label].get(tool)
        return "n/a" if value is None else f"{value[0]:.0f}"

    def ratio(label, tool):
        value, quire = results[label].get(tool), results[label].get("quire")
        return "n/a" if value is None or quire is None else f"{value[0] / quire[0]:.1f}x"

    print(f"office to PDF: quire with {options.office_workers} office worker(s), {options.runs} runs "
          f"(soffice {options.soffice_runs}), milliseconds")
    print("| file | quire median | quire min | soffice median | unoserver median | soffice/quire | unoserver/quire |")
    print("|---|---|---|---|---|---|---|")
    for label, _ in files:
        quire = results[label].get("quire")
        print(f"| {label} | {cell(label, 'quire')} | {'n/a' if quire is None else f'{quire[1]:.0f}'} | {cell(label, 'soffice')} "
              f"| {cell(label, 'unoserver')} | {ratio(label, 'soffice')} | {ratio(label, 'unoserver')} |")
    if throughput:
        print(f"\nthroughput: {options.concurrent} concurrent 1-page DOCX -> PDF, {options.office_workers} office worker(s): "
              f"{throughput[0]:.2f} s wall, {throughput[1]:.2f} conversions/s")
    else:
        print("\nthroughput: n/a")
    for error in errors:
        print(f"error: {error}")


main()
