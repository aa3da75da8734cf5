#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""PDF editing beside PyMuPDF, on the same files in one run (issue #15):

  add      50 text annotations (5 on every page: header, footer with page numbers, ...; 45 on
           one page each, below the body text, some wrapped in a box) and 5 images (a logo on every page, 4 JPEG/PNG
           on single pages) on a 100-page text PDF;
  replace  every "invoice" (2229 occurrences) replaced by "INVOICE", the old glyphs removed.

Quire is called as a PDF.co client does (files uploaded first, then one sync POST, timed from
request to answer, download not included); PyMuPDF opens, edits and saves in this process.
Each is run 3 times and the median is printed, with output size and a check of the result
(pdftotext finds the added text / no lower-case "invoice" left).

  python3 bench/edit.py [--quire .build/release/quire] [--runs 3]

PyMuPDF comes from PyPI (bench-only); when missing, a venv is made in the temp dir
(quire-editbench-venv) and the script runs itself again there.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
IMAGES = ["rgb.jpg", "gray.jpg", "cmyk.jpg", "rgb.png", "rgba.png"]


def annotations():
    """The 50 annotations, in PDF.co's annotations[] shape."""
    items = [
        {"text": "CONFIDENTIAL", "x": 250, "y": 20, "size": 14, "color": "FF0000", "fontBold": True, "pages": "0-"},
        {"text": "Page {{$$PageNumber}} of {{$$PageCount}}", "x": 270, "y": 770, "size": 9, "pages": "0-"},
        {"text": "Quire benchmark", "x": 40, "y": 770, "size": 9, "color": "808080", "pages": "0-"},
        {"text": "Reviewed", "x": 500, "y": 770, "size": 9, "fontItalic": True, "pages": "0-"},
        {"text": "www.example.com", "x": 40, "y": 20, "size": 9, "link": "https://www.example.com", "pages": "0-"},
    ]
    for k in range(45):
        item = {"text": f"Note {k}: checked against the ledger on page {2 * k + 1}", "x": 300, "y": 735,
                "size": 9, "color": "0000FF", "pages": str(2 * k % 100)}
        if k % 3 == 0:
            item.update(text=item["text"] + ", with a remark long enough to wrap inside its box", width=250)
        items.append(item)
    return items


def images(urls):
    boxes = [(480, 40, 60), (60, 600, 120), (200, 600, 120), (340, 600, 120), (60, 400, 200)]
    pages = ["0-", "3", "10", "50", "99"]
    return [{"url": url, "x": x, "y": y, "width": w, "pages": p} for url, (x, y, w), p in zip(urls, boxes, pages)]


def pymupdf_add(pymupdf, source, image_paths, out):
    doc = pymupdf.open(source)
    count = doc.page_count
    fonts = {(False, False): "helv", (True, False): "hebo", (False, True): "heit"}
    for item in annotations():
        targets = range(count) if item["pages"] == "0-" else [int(item["pages"])]
        color = tuple(int(item.get("color", "000000")[i:i + 2], 16) / 255 for i in (0, 2, 4))
        font = fonts[(item.get("fontBold", False), item.get("fontItalic", False))]
        for index in targets:
            page = doc[index]
            text = item["text"].replace("{{$$PageNumber}}", str(index + 1)).replace("{{$$PageCount}}", str(count))
            size = item["size"]
            if "width" in item:
                rect = pymupdf.Rect(item["x"], item["y"], item["x"] + item["width"], item["y"] + 5 * size * 1.2)
                page.insert_textbox(rect, text, fontsize=size, fontname=font, color=color)
            else:
                page.insert_text((item["x"], item["y"] + size * 0.8), text, fontsize=size, fontname=font, color=color)
            if "link" in item:
                page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(item["x"], item["y"], item["x"] + 100, item["y"] + size),
                                  "uri": item["link"]})
    for item, path in zip(images(image_paths), image_paths):
        targets = range(count) if item["pages"] == "0-" else [int(item["pages"])]
        for index in targets:
            rect = pymupdf.Rect(item["x"], item["y"], item["x"] + item["width"], item["y"] + item["width"])
            doc[index].insert_image(rect, filename=path, keep_proportion=True)
    doc.save(out, garbage=1, deflate=True)


def pymupdf_replace(pymupdf, source, out):
    doc = pymupdf.open(source)
    found = 0
    for page in doc:
        rects = page.search_for("invoice")
        found += len(rects)
        for rect in rects:
            page.add_redact_annot(rect, text="INVOICE", fontname="helv", fontsize=10, fill=False)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE)
    doc.save(out, garbage=1, deflate=True)
    return found


def timed(function, runs):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pdftotext(path):
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quire", default=os.path.join(ROOT, ".build/release/quire"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, HERE)
    import quire_api
    quire_api.ensure_packages(["pymupdf"], "quire-editbench-venv", ["pymupdf"])
    import pymupdf

    work = tempfile.mkdtemp(prefix="quire-editbench-")
    source = os.path.join(work, "report.pdf")
    subprocess.run([sys.executable, os.path.join(HERE, "make_text_pdf.py"), source, "100"], check=True)
    image_paths = [os.path.join(ROOT, "Tests/Fixtures/images", name) for name in IMAGES]
    server, base = quire_api.start_server(work, binary=args.quire)
    rows = []
    try:
        pdf_url = quire_api.upload(base, source)
        image_urls = [quire_api.upload(base, path) for path in image_paths]

        def quire_call(path, body, out):
            answer = json.loads(quire_api.http("POST", base + path, json.dumps(body).encode(), {"Content-Type": "application/json"}))
            if answer.get("error"):
                raise RuntimeError(f"{path}: {answer}")
            return answer

        add_body = {"url": pdf_url, "annotations": annotations(), "images": images(image_urls), "name": "added.pdf"}
        quire_add_time, answer = timed(lambda: quire_call("/pdf/edit/add", add_body, None), args.runs)
        quire_added = os.path.join(work, "quire-added.pdf")
        open(quire_added, "wb").write(quire_api.http("GET", answer["url"]))
        replace_body = {"url": pdf_url, "searchString": "invoice", "replaceString": "INVOICE", "name": "replaced.pdf"}
        quire_replace_time, answer = timed(lambda: quire_call("/pdf/edit/replace-text", replace_body, None), args.runs)
        quire_replaced = os.path.join(work, "quire-replaced.pdf")
        open(quire_replaced, "wb").write(quire_api.http("GET", answer["url"]))
        quire_count = answer.get("replacements")
    finally:
        server.terminate()
        server.wait()

    mu_added = os.path.join(work, "pymupdf-added.pdf")
    mu_add_time, _ = timed(lambda: pymupdf_add(pymupdf, source, image_paths, mu_added), args.runs)
    mu_replaced = os.path.join(work, "pymupdf-replaced.pdf")
    mu_replace_time, mu_count = timed(lambda: pymupdf_replace(pymupdf, source, mu_replaced), args.runs)

    def add_check(path):
        text = pdftotext(path)
        return f"footers {text.count('of 100')}/100, notes {sum(1 for k in range(45) if f'Note {k}:' in text)}/45"

    def replace_check(path):
        text = pdftotext(path)
        return f"'invoice' left {text.count('invoice')}, 'INVOICE' {text.count('INVOICE')}"

    size = os.path.getsize
    print(f"source: 100 pages, {size(source)} bytes; median of {args.runs} runs; PyMuPDF {pymupdf.__version__} (MuPDF {pymupdf.VersionFitz})")
    print(f"| operation | tool | seconds | output bytes | check |")
    print(f"|---|---|---:|---:|---|")
    print(f"| add (50 annotations, 5 images) | Quire | {quire_add_time:.3f} | {size(quire_added)} | {add_check(quire_added)} |")
    print(f"| add (50 annotations, 5 images) | PyMuPDF | {mu_add_time:.3f} | {size(mu_added)} | {add_check(mu_added)} |")
    print(f"| replace 'invoice' | Quire | {quire_replace_time:.3f} | {size(quire_replaced)} | {quire_count} replaced; {replace_check(quire_replaced)} |")
    print(f"| replace 'invoice' | PyMuPDF | {mu_replace_time:.3f} | {size(mu_replaced)} | {mu_count} found; {replace_check(mu_replaced)} |")
    print(f"ratios (PyMuPDF time / Quire time): add {mu_add_time / quire_add_time:.2f}, replace {mu_replace_time / quire_replace_time:.2f}")


if __name__ == "__main__":
    main()
