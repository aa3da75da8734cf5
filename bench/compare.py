#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Times one Quire operation through the API beside the open-source tools for the same job,
on the same file in the same run, and prints a Markdown table with ratios.

  bench/compare.py text [PAGES] [RUNS]   sync /pdf/convert/to/text  vs mutool convert -F text, pdftotext -layout
  bench/compare.py png  [PAGES] [RUNS]   sync /pdf/convert/to/png (150 dpi) vs mutool draw -r 150, pdftoppm -r 150
  bench/compare.py png-photos [PAGES] [RUNS]   the same on an image-heavy PDF: a 2000x1500 photo
                                       per page (bench/images.py's photos through images-to-pdf)

Quire is timed from the request to the answer (upload excluded; the result files are written
by the server, not downloaded). Needs the release build (make release).
"""
import json, os, re, statistics, subprocess, sys, tempfile, time, urllib.request

from quire_api import http, start_server, upload

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(run, runs):
    run(); run()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples), statistics.median(samples)


def main():
    operation = sys.argv[1] if len(sys.argv) > 1 else "text"
    pages = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    with tempfile.TemporaryDirectory() as work:
        pdf = os.path.join(work, "in.pdf")
        if operation == "png-photos":
            sys.path.insert(0, os.path.join(ROOT, "bench"))
            from images import make_images
            jpegs, _ = make_images(work, pages)
            subprocess.run([os.path.join(ROOT, ".build/release/quire"), "convert", "images-to-pdf", *jpegs, "-o", pdf],
                           check=True, stdout=subprocess.DEVNULL)
        else:
            subprocess.run([sys.executable, os.path.join(ROOT, "bench/make_text_pdf.py"), pdf, str(pages)], check=True)
        server, base = start_server(work)
        try:
            url = upload(base, pdf)
            endpoint = {"text": "/pdf/convert/to/text", "png": "/pdf/convert/to/png", "png-photos": "/pdf/convert/to/png"}[operation]

            def quire():
                answer = json.loads(http("POST", base + endpoint, json.dumps({"url": url}).encode(), {"Content-Type": "application/json"}))
                assert answer["error"] is False, answer

            def command(*args):
                return lambda: subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

            out = os.path.join(work, "out")
            os.makedirs(out)
            if operation == "text":
                reference = "mutool convert -F text"
                cases = [(f"quire {endpoint} (sync, API)", quire),
                         (reference, command("mutool", "convert", "-F", "text", "-o", f"{out}/m.txt", pdf)),
                         ("pdftotext -layout", command("pdftotext", "-layout", pdf, f"{out}/p.txt"))]
            else:
                reference = "mutool draw -r 150"
                cases = [(f"quire {endpoint} (sync, API, 150 dpi)", quire),
                         (reference, command("mutool", "draw", "-r", "150", "-o", f"{out}/m-%d.png", pdf)),
                         ("pdftoppm -png -r 150", command("pdftoppm", "-png", "-r", "150", pdf, f"{out}/p"))]
            results = {name: timed(run, runs) for name, run in cases}
            if operation != "text":
                # Output size beside mutool's: the same pages through `quire convert` (same encoder).
                subprocess.run([os.path.join(ROOT, ".build/release/quire"), "convert", "pdf-to-png", pdf, "-o", f"{out}/q"],
                               check=True, stdout=subprocess.DEVNULL)
                quire_bytes = sum(os.path.getsize(os.path.join(out, "q", f)) for f in os.listdir(os.path.join(out, "q")))
                mutool_bytes = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if f.startswith("m-"))
        finally:
            server.terminate()
            server.wait()
    print(f"{operation}: {pages} pages, {runs} runs, medians")
    print("| tool | min ms | median ms | median vs reference |")
    print("|---|---|---|---|")
    for name, (low, middle) in results.items():
        print(f"| {name} | {low:.1f} | {middle:.1f} | {middle / results[reference][1]:.2f}x |")
    if operation != "text":
        print(f"PNG bytes: quire {quire_bytes:,}, mutool {mutool_bytes:,} ({quire_bytes / mutool_bytes:.2f}x)")


main()
