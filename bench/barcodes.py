#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Barcode reading: Quire's /barcode/read/from/url beside zbarimg and the zxing-cpp Python
binding, on the same generated codes in the same run (issue #18). docs/benchmarks.md has results.

  bench/barcodes.py [--quire BINARY] [--count 200] [--keep DIR]

200 codes of 8 types (25 each), made by Quire's /barcode/generate (zint), in two sets:
- pdf: two codes per US-letter page (100 pages, one PDF) at random places among lines of text,
  modules 0.25-0.5 mm, embedded as images; zbarimg and zxing-cpp read pages rendered gray at
  300 dpi by `mutool draw` (Quire's own resolution), and the render time counts for them.
- photo: one code per JPEG, made to look photographed: enlarged 2-5 px per module, on uneven
  grey paper, rotated (-25..25 degrees, a quarter of them also by 90), blurred, noisy, JPEG
  quality 40-85.
A code counts as read when a tool reports its value on its page or image (type names differ
between tools; UPC-A may come back as EAN-13 with a leading 0). Quire is timed from request to
answer (uploads excluded), one request for the PDF and one per photo, in sequence.
Needs: the release build (or --quire), mutool, zbarimg (Debian zbar-tools), and in a venv
pillow, numpy and zxing-cpp (the script makes one under the temp dir when they are missing).
"""
import argparse, base64, io, json, os, random, re, string, subprocess, sys, tempfile, time, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from quire_api import http, start_server, upload, pdf_file  # noqa: E402

TYPES = ["QRCode", "DataMatrix", "PDF417", "Aztec", "Code128", "Code39", "EAN13", "UPCA"]
LINEAR = {"Code128", "Code39", "EAN13", "UPCA"}


def ensure_packages():
    import quire_api
    quire_api.ensure_packages(["numpy", "PIL", "zxingcpp"], "quire-barcodebench-venv", ["pillow", "numpy", "zxing-cpp"])


def check_digit(digits):
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def value_for(kind, rng):
    alnum = string.ascii_letters + string.digits
    word = lambda n: "".join(rng.choice(alnum) for _ in range(n))
    if kind == "QRCode":
        return f"https://quire.example/inv/{word(rng.randint(6, 30))}"
    if kind == "DataMatrix":
        return f"DM-{word(rng.randint(6, 24))}"
    if kind == "PDF417":
        return " ".join(word(rng.randint(3, 8)) for _ in range(rng.randint(3, 8)))
    if kind == "Aztec":
        return f"AZ{word(rng.randint(6, 30))}"
    if kind == "Code128":
        return word(rng.randint(6, 14))
    if kind == "Code39":
        return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.randint(4, 9)))
    digits = "".join(rng.choice(string.digits) for _ in range(12 if kind == "EAN13" else 11))
    return digits + check_digit(digits)


def generate(base, kind, value):
    """The code as a PIL gray image, one pixel per module, no caption."""
    from PIL import Image
    body = json.dumps({"type": kind, "value": value, "profiles": json.dumps({"NarrowBarWidth": 1, "ShowCaption": False})})
    answer = json.loads(http("POST", base + "/barcode/generate", body.encode(), {"Content-Type": "application/json"}))
    if answer.get("error"):
        raise RuntimeError(f"{kind} {value!r}: {answer}")
    return Image.open(io.BytesIO(http("GET", answer["url"]))).convert("L")


# MARK: - The PDF set

def pdf_document(pages):
    """A PDF of US-letter pages; each page is (text lines, [(image, x, y, width, height) in points])."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines, images in pages:
        names, content = [], ["BT /F1 10 Tf"]
        for (x, y, text) in lines:
            content.append(f"1 0 0 1 {x:.1f} {y:.1f} Tm ({text}) Tj")
        content.append("ET")
        for index, (image, x, y, w, h) in enumerate(images):
            data = zlib.compress(image.tobytes())
            objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
                           b"/Filter /FlateDecode /Length %d >>\nstream\n" % (image.width, image.height, len(data)) + data + b"\nendstream")
            names.append(f"/Im{index} {len(objects)} 0 R")
            content.append(f"q {w:.2f} 0 0 {h:.2f} {x:.2f} {y:.2f} cm /Im{index} Do Q")
        stream = "\n".join(content).encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        "/Resources << /Font << /F1 3 0 R >> /XObject << %s >> >> >>" % (len(objects), " ".join(names))).encode())
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    return pdf_file(objects)


def make_pdf_set(codes, rng):
    """100 pages, two codes each, placed apart among text; returns (pdf bytes, [(page, kind, value)])."""
    words = "invoice total amount due shipment order customer reference date page quantity price tax".split()
    pages, truth = [], []
    for start in range(0, len(codes), 2):
        page = start // 2
        lines = [(54, 740 - 14 * i, " ".join(rng.choice(words) for _ in range(rng.randint(4, 12)))) for i in range(rng.randint(3, 12))]
        images, boxes = [], [(40, 560, 572, 760)]  # keep clear of the text block
        for kind, value, image in codes[start:start + 2]:
            module = rng.uniform(0.25, 0.5) * 72 / 25.4  # points
            w, h = image.width * module, image.height * module * (1 if kind not in LINEAR else 1)
            for _ in range(200):
                x, y = rng.uniform(36, 576 - w), rng.uniform(36, 540 - h)
                box = (x - 20, y - 20, x + w + 20, y + h + 20)
                if all(box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1] for b in boxes):
                    break
            boxes.append(box)
            images.append((image, x, y, w, h))
            truth.append((page, kind, value))
        pages.append((lines, images))
    return pdf_document(pages), truth


# MARK: - The photo set

def photograph(image, rng):
    """The code as if photographed: enlarged, on uneven paper, turned, blurred, noisy, JPEG."""
    import numpy
    from PIL import Image, ImageFilter
    module = rng.randint(2, 5)
    code = image.resize((image.width * module, image.height * module), Image.NEAREST)
    quiet = 10 * module
    paper = Image.new("L", (code.width + 2 * quiet, code.height + 2 * quiet), 255)
    paper.paste(code, (quiet, quiet))
    angle = rng.uniform(-25, 25) + (90 if rng.random() < 0.25 else 0)
    turned = paper.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    scale = rng.uniform(0.8, 1.3)
    turned = turned.resize((max(1, int(turned.width * scale)), max(1, int(turned.height * scale))), Image.BICUBIC)
    canvas_w, canvas_h = turned.width + rng.randint(80, 400), turned.height + rng.randint(80, 400)
    ramp = numpy.linspace(rng.uniform(150, 200), rng.uniform(210, 245), canvas_w)[None, :] * numpy.ones((canvas_h, 1))
    canvas = Image.fromarray(ramp.astype("uint8"))
    # Ink on paper: the code darkens the paper under it, white stays paper.
    x, y = rng.randint(0, canvas_w - turned.width), rng.randint(0, canvas_h - turned.height)
    region = numpy.asarray(canvas.crop((x, y, x + turned.width, y + turned.height)), dtype=float)
    ink = numpy.asarray(turned, dtype=float) / 255
    canvas.paste(Image.fromarray((region * (0.15 + 0.85 * ink)).astype("uint8")), (x, y))
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    pixels = numpy.asarray(canvas, dtype=float) + numpy.random.default_rng(rng.randint(0, 1 << 30)).normal(0, rng.uniform(4, 12), (canvas_h, canvas_w))
    out = io.BytesIO()
    Image.fromarray(numpy.clip(pixels, 0, 255).astype("uint8")).save(out, "JPEG", quality=rng.randint(40, 85))
    return out.getvalue()


# MARK: - Readers

def quire_values(answer):
    return [(code["Page"], code["Value"]) for code in answer.get("barcodes", [])]


def zbar_values(files):
    """zbarimg over FILES in one process: [(file index, value)]."""
    result = subprocess.run(["zbarimg", "-q", "--xml", *files], capture_output=True, text=True)
    found = []
    for source in re.finditer(r"<source href='([^']*)'>(.*?)</source>", result.stdout, re.S):
        index = files.index(source.group(1))
        for data in re.finditer(r"<data( format='base64')?[^>]*><!\[CDATA\[(.*?)\]\]></data>", source.group(2), re.S):
            value = base64.b64decode(data.group(2)).decode("utf-8", "replace") if data.group(1) else data.group(2)
            found.append((index, value))
    return found


def zxing_values(files):
    import zxingcpp
    from PIL import Image
    return [(index, result.text) for index, path in enumerate(files) for result in zxingcpp.read_barcodes(Image.open(path))]


def score(truth, found):
    """Per type: codes read; and reports that are no code of the set."""
    reported = {}
    for key, value in found:
        reported.setdefault(key, []).append(value)
    read = {kind: 0 for kind in TYPES}
    expected = set()
    for key, kind, value in truth:
        values = reported.get(key, [])
        expected |= {(key, value), (key, "0" + value)}
        if value in values or (kind == "UPCA" and "0" + value in values):
            read[kind] += 1
    stray = sum(1 for key, value in found if (key, value) not in expected)
    return read, stray


def main():
    ensure_packages()
    parser = argparse.ArgumentParser()
    parser.add_argument("--quire", default=os.path.join(ROOT, ".build/release/quire"))
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--keep", help="write the inputs and answers here")
    options = parser.parse_args()
    rng = random.Random(18)
    work = options.keep or tempfile.mkdtemp(prefix="quire-barcodebench-")
    os.makedirs(work, exist_ok=True)
    server, base = start_server(work, ["--allow-private-urls"], binary=options.quire)
    try:
        kinds = [TYPES[i % len(TYPES)] for i in range(options.count)]
        rng.shuffle(kinds)
        codes = [(kind, value, generate(base, kind, value)) for kind in kinds for value in [value_for(kind, rng)]]
        pdf, pdf_truth = make_pdf_set(codes, rng)
        pdf_path = os.path.join(work, "codes.pdf")
        open(pdf_path, "wb").write(pdf)
        photos, photo_truth = [], []
        for index, (kind, value, image) in enumerate(codes):
            path = os.path.join(work, f"photo{index:03}.jpg")
            open(path, "wb").write(photograph(image, rng))
            photos.append(path)
            photo_truth.append((index, kind, value))
        pages = len(pdf_truth) // 2
        rows = {}

        # Quire: the PDF in one request; each photo in its own.
        pdf_url = upload(base, pdf_path)
        photo_urls = [upload(base, path) for path in photos]
        read = lambda url: json.loads(http("POST", base + "/barcode/read/from/url", json.dumps({"url": url}).encode(),
                                           {"Content-Type": "application/json"}))
        read(photo_urls[0])  # warm-up
        start = time.perf_counter()
        answer = read(pdf_url)
        rows[("pdf", "quire")] = (quire_values(answer), time.perf_counter() - start, 0.0)
        start = time.perf_counter()
        found = [(index, value) for index, url in enumerate(photo_urls) for _, value in quire_values(read(url))]
        rows[("photo", "quire")] = (found, time.perf_counter() - start, 0.0)

        # The others read the pages mutool renders, as Quire does, at Quire's 300 dpi, in gray.
        render_dir = os.path.join(work, "pages")
        os.makedirs(render_dir, exist_ok=True)
        start = time.perf_counter()
        subprocess.run(["mutool", "draw", "-q", "-r", "300", "-c", "gray", "-o", os.path.join(render_dir, "page%03d.pgm"), pdf_path],
                       check=True, capture_output=True)
        render = time.perf_counter() - start
        rendered = [os.path.join(render_dir, f"page{i:03}.pgm") for i in range(1, pages + 1)]
        for name, reader in [("zbarimg", zbar_values), ("zxing-cpp", zxing_values)]:
            start = time.perf_counter()
            rows[("pdf", name)] = (reader(rendered), time.perf_counter() - start + render, render)
            start = time.perf_counter()
            rows[("photo", name)] = (reader(photos), time.perf_counter() - start, 0.0)

        results = {}
        print(f"{options.count} codes, {len(TYPES)} types ({options.count // len(TYPES)} each); pdf: {pages} pages, photo: {len(photos)} JPEGs\n")
        print("| set | reader | read | " + " | ".join(TYPES) + " | stray | pages/s | of which rendering |")
        print("|---|---|---|" + "---|" * len(TYPES) + "---|---|---|")
        for (kind, name), (found, seconds, rendering) in rows.items():
            truth = pdf_truth if kind == "pdf" else photo_truth
            per_type, stray = score(truth, found)
            total = sum(per_type.values())
            units = pages if kind == "pdf" else len(photos)
            each = {t: sum(1 for _, k, _ in truth if k == t) for t in TYPES}
            print(f"| {kind} | {name} | {total}/{len(truth)} ({100 * total / len(truth):.1f}%) | "
                  + " | ".join(f"{per_type[t]}/{each[t]}" for t in TYPES)
                  + f" | {stray} | {units / seconds:.1f} | {rendering:.1f} s |")
            results[f"{kind}/{name}"] = {"read": total, "of": len(truth), "per_type": per_type, "stray": stray, "seconds": seconds,
                                         "render_seconds": rendering, "units_per_second": units / seconds}
        json.dump(results, open(os.path.join(work, "results.json"), "w"), indent=1)
        misses = [(k, t, v) for (k, t, v) in pdf_truth if (k, v) not in set(rows[("pdf", "quire")][0])]
        print(f"\nQuire's misses on the PDF pages (page, type): {[(k, t) for k, t, _ in misses]}")
        print(f"inputs and results in {work}" if options.keep else "")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
