#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""HTML → PDF: Quire's warm Chromium hosts beside a cold `chromium --headless --print-to-pdf`,
wkhtmltopdf and WeasyPrint (Debian), on the same three pages in one run, then 40 concurrent
one-page jobs by browser pool size, and the memory (PSS) of a warm browser host.

Pages (made here, self-contained: images are data: URLs, so every tool reads the same bytes):
  invoice  one page, a styled table;
  report   20 pages of tables and images;
  chart    a canvas chart drawn by the page's own script on load.

Quire is timed from request to answer (the download excluded), requests one after the other
("warm"), and for the invoice also one a second ("idle host": the host opened the next page's
browser context and renderer between jobs, as it does whenever it is idle).

Usage: python3 bench/html.py [--runs 5] [--concurrent 40]
Needs the release build (swift build -c release) and scripts/bootstrap.sh --bench.
"""
import argparse, base64, concurrent.futures, json, os, shutil, statistics, subprocess, sys, tempfile, time, zlib, struct

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quire_api import http, start_server  # noqa: E402


def png(width, height, seed):
    """A small RGB PNG with a gradient (no Pillow needed)."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw += bytes(((x * 7 + y * 3 + seed) % 256, (x * 2 + seed) % 256, (y * 5) % 256))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")


STYLE = "<style>body{font-family:'DejaVu Sans',sans-serif;font-size:11pt;margin:0} table{border-collapse:collapse;width:100%}" \
        "td,th{border:1px solid #999;padding:4px 6px;text-align:left} th{background:#dde} h1{color:#224}</style>"


def invoice():
    rows = "".join(f"<tr><td>{i}</td><td>Consulting, item {i}</td><td>{i * 3}</td><td>{i * 42.5:.2f}</td></tr>" for i in range(1, 16))
    return f"<html><head><title>Invoice</title>{STYLE}</head><body><h1>Invoice 2026-4711</h1><p>Quire Ltd., 1 Example Road</p>" \
           f"<table><tr><th>#</th><th>Item</th><th>Hours</th><th>Amount</th></tr>{rows}</table><p><b>Total: 5,100.00 EUR</b></p></body></html>"


def report():
    images = [base64.b64encode(png(240, 120, seed)).decode() for seed in range(5)]
    sections = []
    for page in range(1, 21):
        rows = "".join(f"<tr><td>{page}.{r}</td><td>Metric {r}</td><td>{(page * r) % 97}</td><td>{(page + r) * 1.5:.1f}%</td></tr>"
                       for r in range(1, 19))
        sections.append(f"<section style='page-break-after:always'><h1>Section {page}</h1>"
                        f"<img src='data:image/png;base64,{images[page % 5]}' width='240' height='120'>"
                        f"<table><tr><th>Id</th><th>Name</th><th>Value</th><th>Change</th></tr>{rows}</table></section>")
    return f"<html><head><title>Report</title>{STYLE}</head><body>{''.join(sections)}</body></html>"


def chart():
    values = [12, 19, 7, 15, 22, 9, 17, 25, 11, 14, 20, 8]
    script = ("window.addEventListener('load',()=>{const c=document.getElementById('c');const g=c.getContext('2d');"
              f"const v={json.dumps(values)};g.fillStyle='#fff';g.fillRect(0,0,800,400);"
              "v.forEach((x,i)=>{g.fillStyle='hsl('+(i*30)+',60%,50%)';g.fillRect(20+i*64,380-x*14,48,x*14);});"
              "document.getElementById('t').textContent='Chart drawn: '+v.length+' bars';});")
    return f"<html><head><title>Chart</title>{STYLE}</head><body><h1>Monthly volume</h1><canvas id='c' width='800' height='400'></canvas>" \
           f"<p id='t'>not drawn</p><script>{script}</script></body></html>"


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    return next((int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:")), 0)


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def quire_convert(base, html, out):
    start = time.perf_counter()
    answer = json.loads(http("POST", base + "/pdf/convert/from/html", json.dumps({"html": html, "paperSize": "A4"}).encode(),
                             {"Content-Type": "application/json"}))
    elapsed = time.perf_counter() - start
    if answer.get("error"):
        raise RuntimeError(answer)
    with open(out, "wb") as f:
        f.write(http("GET", answer["url"]))
    return elapsed


def browser_pss_mb(server_pid):
    """PSS (shared pages split fairly) of every process under the server's browser hosts, in MB."""
    children = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(pid))
        except (OSError, IndexError, ValueError):
            pass
    hosts = [pid for pid in children.get(server_pid, []) if b"browser-host" in open(f"/proc/{pid}/cmdline", "rb").read()]
    total, stack = 0, list(hosts)
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrent", type=int, default=40)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="quire-htmlbench-")
    pages = {"invoice": invoice(), "report": report(), "chart": chart()}
    for name, html in pages.items():
        with open(os.path.join(work, name + ".html"), "w") as f:
            f.write(html)
    chromium = shutil.which("chromium")
    tools = {
        "chromium (cold)": lambda src, out: [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                             f"--print-to-pdf={out}", "file://" + src],
        "wkhtmltopdf": lambda src, out: ["wkhtmltopdf", "-q", "--page-size", "A4", src, out],
        "weasyprint": lambda src, out: ["weasyprint", src, out],
    }
    available = {name: make for name, make in tools.items() if shutil.which(make("x", "y")[0])}
    print(f"machine: {os.cpu_count()} cores; {args.runs} runs per cell, median seconds; Chromium "
          f"{subprocess.run([chromium, '--version'], capture_output=True, text=True).stdout.strip()}")
    results = {}
    server, base = start_server(work, ["--browser-workers", "1", "--office-workers", "0", "--ocr-workers", "0"])
    try:
        quire_convert(base, "<p>warm-up</p>", os.path.join(work, "warm.pdf"))
        for name, html in pages.items():
            out = os.path.join(work, f"{name}-quire.pdf")
            times = [quire_convert(base, html, out) for _ in range(args.runs)]
            results[(name, "Quire (warm)")] = (statistics.median(times), pdf_pages(out), os.path.getsize(out))
        # A request that finds the host idle: its page (context, renderer) was opened between jobs.
        spaced = []
        for _ in range(args.runs):
            time.sleep(1)
            spaced.append(quire_convert(base, pages["invoice"], os.path.join(work, "spaced.pdf")))
        results[("invoice", "Quire (warm, idle host)")] = (statistics.median(spaced), 1, os.path.getsize(os.path.join(work, "spaced.pdf")))
        pss = browser_pss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()
    for name in pages:
        src = os.path.join(work, name + ".html")
        for tool, make in available.items():
            out = os.path.join(work, f"{name}-{tool.split()[0]}.pdf")
            try:
                times = [timed(make(src, out)) for _ in range(args.runs)]
                results[(name, tool)] = (statistics.median(times), pdf_pages(out), os.path.getsize(out))
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                results[(name, tool)] = (float("nan"), 0, 0)
                print(f"{tool} failed on {name}: {error}", file=sys.stderr)

    print("\n| page | tool | seconds | pages | bytes | Quire faster by |")
    print("|---|---|---:|---:|---:|---:|")
    for name in pages:
        quire = results[(name, "Quire (warm)")][0]
        for tool in ["Quire (warm)", "Quire (warm, idle host)", *available]:
            if (name, tool) not in results:
                continue
            seconds, count, size = results[(name, tool)]
            ratio = "" if tool.startswith("Quire") else f"{seconds / quire:.1f}x"
            print(f"| {name} | {tool} | {seconds:.3f} | {count} | {size} | {ratio} |")
    print(f"\nwarm browser host (host + Chromium, PSS): {pss:.0f} MB")

    print(f"\n{args.concurrent} concurrent one-page invoices (sync requests):")
    print("| browser hosts | jobs/s | p50 s | p95 s |\n|---:|---:|---:|---:|")
    for hosts in (1, 2):
        server, base = start_server(work, ["--browser-workers", str(hosts), "--office-workers", "0", "--ocr-workers", "0"])
        try:
            for _ in range(hosts * 2):
                quire_convert(base, "<p>warm-up</p>", os.path.join(work, "warm.pdf"))
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(args.concurrent) as pool:
                latencies = list(pool.map(lambda i: quire_convert(base, pages["invoice"], os.path.join(work, f"c{i}.pdf")),
                                          range(args.concurrent)))
            wall = time.perf_counter() - start
            latencies.sort()
            print(f"| {hosts} | {args.concurrent / wall:.1f} | {statistics.median(latencies):.3f} | "
                  f"{latencies[int(0.95 * (len(latencies) - 1))]:.3f} |")
        finally:
            server.terminate()
            server.wait()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
