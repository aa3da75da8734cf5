#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""OCR: Quire's /pdf/convert/to/text and /pdf/makesearchable beside the tesseract CLI and
ocrmypdf, on the same generated scans in the same run (issue #16). docs/benchmarks.md has results.

  bench/ocr.py [--quire BINARY] [--pages 20] [--keep DIR] [--skip-openmp]

Scans of known text (fixed seed): half the pages English, half German, pseudo-sentences from a
word list set in Liberation Serif or Sans at 10-12 pt on A4 at 300 dpi (Pillow), then turned
-2..2 degrees, blurred, on grey paper with noise and specks, saved as JPEG (quality 45-75) and
wrapped unchanged into one image-only PDF per language. Every tool reads the same pages with
that language (`lang=eng` / `deu`):
- quire to/text: POST /pdf/convert/to/text (inline), the text split at form feeds;
- quire makesearchable: POST /pdf/makesearchable, then `pdftotext` of the result (and, in a
  column of its own, `pdftotext -raw`: the text layer in the order it was written);
- tesseract CLI: `tesseract page.jpg stdout -l LANG` per page image, one after the other, as
  is (OpenMP) and with OMP_THREAD_LIMIT=1, and two at a time with OMP_THREAD_LIMIT=1;
- ocrmypdf: `ocrmypdf -q -l LANG in.pdf out.pdf` (its defaults), then `pdftotext` (and -raw).
CER is the Levenshtein distance over NFKC, whitespace-collapsed text, summed over pages and
divided by the ground truth's length. Quire is timed from request to answer (uploads and the
download excluded) on a server started with its defaults (one OCR host per core). Each row
prints the 1-minute load average after it (the run's own processes count: ~1 for one process,
~2 for two), since other work on the machine shows there. The plain CLI row runs last: with
OpenMP a page took 3-10x as long here (its threads spin), so it is most of a 10-15 minute run;
`--skip-openmp` leaves it out (about 4 minutes), `--pages 4` is a quick check.
Needs: the release build (or --quire), tesseract with eng and deu, ocrmypdf, pdftotext, and in a
venv pillow, numpy and rapidfuzz (the script makes one under the temp dir when they are missing).
"""
import argparse, concurrent.futures, io, json, os, random, subprocess, sys, tempfile, time, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from quire_api import http, start_server, upload, pdf_file  # noqa: E402

FONTS = ["/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"]
WORDS = {
    "eng": """the of and to in a is that for it as was with be by on not this are or from at which but have an they
        were there would their we been has when who will more no if out so what up its about into than them can only other
        new some could time these two may then do first any now such like our over even most made after also did many
        before must through back years where much your way well down should because each just those people how little
        state good very make world still own see work long here between both life being under never day same another
        while last might great old year off come since against right used take three invoice payment delivery customer
        account balance shipment contract quarterly report warehouse supplier signature schedule approval department
        committee budget revenue order amount total received pending overdue reference attached statement tax freight
        inspection meeting minutes agreement purchase receipt manager office regional annual figures increase decrease""",
    "deu": """der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er
        hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis
        mehr durch man sein wurde sei Jahr Prozent Rechnung Lieferung Kunde Zahlung Vertrag Bericht Abteilung Straße Größe
        Prüfung Änderung Übersicht Gebühr müssen können würde gemäß schließlich täglich Mitarbeiter Unternehmen
        Geschäftsführung Bestellung Betrag Zeitraum Höhe Außendienst Grundstück Gewährleistung Vereinbarung Frist Anlage
        Schreiben Anfrage Angebot Lager Versand Kosten Steuer Quartal Umsatz Ergebnis Entwicklung Bedingungen weiterhin
        bereits jedoch sowie gegenüber während zwischen berücksichtigt beträgt erhalten geprüft überwiesen bestätigt
        vorgelegt Sitzung Protokoll Lieferant Kündigung Mahnung Eingang Ausgang Bilanz Gewinn Verlust Rücksprache""",
}
TITLES = {"eng": "Report {}: quarterly review of deliveries", "deu": "Bericht {}: Übersicht der Lieferungen im Quartal"}


def ensure_packages():
    import quire_api
    quire_api.ensure_packages(["numpy", "PIL", "rapidfuzz"], "quire-ocrbench-venv", ["pillow", "numpy", "rapidfuzz"])


# MARK: - The scans

def sentence(language, rng):
    words = WORDS[language].split()
    out = []
    for _ in range(rng.randint(6, 16)):
        roll = rng.random()
        if roll < 0.04:
            out.append(str(rng.randint(2, 99999)))
        elif roll < 0.06:
            whole, cents = rng.randint(10, 99999), rng.randint(0, 99)
            out.append(f"${whole:,}.{cents:02}" if language == "eng" else f"{whole:,}".replace(",", ".") + f",{cents:02} EUR")
        else:
            out.append(rng.choice(words))
        if rng.random() < 0.08 and len(out) > 2:
            out[-1] += ","
    out[0] = out[0][0].upper() + out[0][1:]
    return " ".join(out).rstrip(",") + rng.choice(".....?:")


def page_text(language, number, rng, font, width, lines_fit):
    """The page's lines: a title, then paragraphs wrapped at WIDTH pixels, blank lines between."""
    lines = [TITLES[language].format(number), ""]
    while len(lines) < lines_fit:
        words, line = " ".join(sentence(language, rng) for _ in range(rng.randint(3, 6))).split(), ""
        for word in words:
            if line and font.getlength(line + " " + word) > width:
                lines.append(line)
                line = word
            else:
                line = (line + " " + word).strip()
        lines += [line, ""]
    return lines[:lines_fit]


def scan(lines, font, line_height, rng):
    """The page set at 300 dpi and made to look scanned; returns (JPEG bytes, angle, quality)."""
    import numpy
    from PIL import Image, ImageDraw, ImageFilter
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(lines):
        draw.text((300, 300 + index * line_height), line, font=font, fill=0)
    angle = rng.uniform(-2, 2)
    page = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
    noise = numpy.random.default_rng(rng.randint(0, 1 << 30))
    paper, ink = rng.uniform(215, 245), rng.uniform(20, 60)
    pixels = ink + numpy.asarray(page, dtype=float) / 255 * (paper - ink) + noise.normal(0, rng.uniform(6, 14), (3508, 2480))
    specks = noise.random((3508, 2480)) < 0.0003
    pixels[specks] = noise.uniform(0, 120, specks.sum())
    quality = rng.randint(45, 75)
    out = io.BytesIO()
    Image.fromarray(numpy.clip(pixels, 0, 255).astype("uint8")).save(out, "JPEG", quality=quality, dpi=(300, 300))
    return out.getvalue(), angle, quality


def jpeg_pdf(jpegs):
    """An image-only PDF: each 2480x3508 gray JPEG stored as is (DCTDecode) on an A4 page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for data in jpegs:
        objects.append(b"<< /Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        content = b"q 595.2 0 0 841.92 0 0 cm /Im0 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.2 841.92] /Contents %d 0 R "
                       b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (len(objects), len(objects) - 1))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return pdf_file(objects)


def make_scans(work, count, rng):
    """COUNT pages, the first half English; returns {lang: (pdf path, [jpeg paths])} and the pages' truth."""
    from PIL import ImageFont
    sets, truth = {}, []
    for number in range(count):
        language = "eng" if number < (count + 1) // 2 else "deu"
        points = rng.choice([10, 11, 12])
        font = ImageFont.truetype(FONTS[number % 2], round(points * 300 / 72))
        line_height = round(points * 1.25 * 300 / 72)
        lines = page_text(language, number + 1, rng, font, 1880, (3508 - 600) // line_height)
        jpeg, angle, quality = scan(lines, font, line_height, rng)
        path = os.path.join(work, f"page{number + 1:02}.jpg")
        open(path, "wb").write(jpeg)
        sets.setdefault(language, (os.path.join(work, f"scan-{language}.pdf"), []))[1].append(path)
        truth.append({"page": number + 1, "lang": language, "text": "\n".join(lines), "angle": angle, "quality": quality,
                      "points": points, "font": os.path.basename(FONTS[number % 2])})
    for pdf, jpegs in sets.values():
        open(pdf, "wb").write(jpeg_pdf([open(path, "rb").read() for path in jpegs]))
    return sets, truth


# MARK: - Reading and scoring

def post(base, path, body):
    answer = json.loads(http("POST", base + path, json.dumps(body).encode(), {"Content-Type": "application/json"}))
    if answer.get("error"):
        raise RuntimeError(f"{path}: {answer}")
    return answer


def pdftotext_pages(path, *options):
    text = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", path, "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def tesseract(path, language, one_thread):
    env = dict(os.environ, **({"OMP_THREAD_LIMIT": "1"} if one_thread else {}))
    return subprocess.run(["tesseract", path, "stdout", "-l", language], capture_output=True, text=True, env=env, check=True).stdout


def normalised(text):
    return " ".join(unicodedata.normalize("NFKC", text).split())


def main():
    ensure_packages()
    from rapidfuzz.distance import Levenshtein
    parser = argparse.ArgumentParser()
    parser.add_argument("--quire", default=os.path.join(ROOT, ".build/release/quire"))
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--keep", help="write the scans and results here")
    parser.add_argument("--skip-openmp", action="store_true", help="leave out the plain tesseract CLI row (OpenMP), most of the time")
    options = parser.parse_args()
    work = options.keep or tempfile.mkdtemp(prefix="quire-ocrbench-")
    os.makedirs(work, exist_ok=True)
    start = time.perf_counter()
    sets, truth = make_scans(work, options.pages, random.Random(16))
    load = os.getloadavg()[0]
    print(f"{options.pages} scans made in {time.perf_counter() - start:.1f} s in {work}; load average {load:.1f}")
    rows = {}  # name: (texts per page, seconds, output bytes and texts by `pdftotext -raw` (None for text), load average after)

    def run(name, convert, read=lambda language, found: (found, None, None)):
        """CONVERT(lang, pdf, jpegs) is timed, over both languages; READ(lang, its answer) -> (texts, bytes, raw texts) is not."""
        texts, size, raw, seconds = [], 0, [], 0.0
        pad = lambda found, count: (found + [""] * count)[:count]
        for language, (pdf, jpegs) in sets.items():
            begin = time.perf_counter()
            answer = convert(language, pdf, jpegs)
            seconds += time.perf_counter() - begin
            found, written, found_raw = read(language, answer)
            texts += pad(found, len(jpegs))
            size = None if written is None else size + written
            raw = None if found_raw is None else raw + pad(found_raw, len(jpegs))
        rows[name] = (texts, seconds, size, raw, os.getloadavg()[0])
        print(f"  {name}: {seconds:.1f} s", flush=True)

    def output_of(name):
        def read(language, answer):
            out = os.path.join(work, f"{name}-{language}.pdf")
            if isinstance(answer, dict):  # Quire's answer: the download is not timed
                open(out, "wb").write(http("GET", answer["url"]))
            return pdftotext_pages(out), os.path.getsize(out), pdftotext_pages(out, "-raw")
        return read

    server, base = start_server(work, binary=options.quire)
    try:
        urls = {language: upload(base, pdf) for language, (pdf, _) in sets.items()}
        run("quire to/text",
            lambda language, pdf, jpegs: post(base, "/pdf/convert/to/text", {"url": urls[language], "lang": language, "inline": True}),
            lambda language, answer: (answer["body"].split("\f"), None, None))
        run("quire makesearchable",
            lambda language, pdf, jpegs: post(base, "/pdf/makesearchable", {"url": urls[language], "lang": language, "name": "s.pdf"}),
            output_of("quire"))
    finally:
        server.terminate()
        server.wait()

    one = "tesseract CLI, OMP_THREAD_LIMIT=1"
    run(one, lambda language, pdf, jpegs: [tesseract(path, language, True) for path in jpegs])
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        run(one + ", 2 at a time", lambda language, pdf, jpegs: list(pool.map(lambda path: tesseract(path, language, True), jpegs)))
    run("ocrmypdf", lambda language, pdf, jpegs: subprocess.run(
        ["ocrmypdf", "-q", "-l", language, pdf, os.path.join(work, f"ocrmypdf-{language}.pdf")], check=True, capture_output=True),
        output_of("ocrmypdf"))
    # Last: with OpenMP's threads a page takes 3-10 times as long here, so this row is most of the run.
    if not options.skip_openmp:
        run("tesseract CLI", lambda language, pdf, jpegs: [tesseract(path, language, False) for path in jpegs])

    pages, input_size = len(truth), sum(os.path.getsize(pdf) for pdf, _ in sets.values())
    ratio = lambda seconds, name: f"{rows[name][1] / seconds:.2f}" if name in rows else "–"
    version = subprocess.run(["ocrmypdf", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\n{pages} pages ({', '.join(f'{len(j)} {l}' for l, (_, j) in sets.items())}), input PDFs {input_size} bytes; "
          f"{os.cpu_count()} cores, load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; ocrmypdf {version}\n")
    print("| tool | CER | CER eng | CER deu | CER, `pdftotext -raw` | worst page | seconds | pages/s | × CLI | × CLI 1 thread "
          "| output bytes (× input) | load after |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lengths = [len(normalised(page["text"])) for page in truth]
    errors_of = lambda texts: [Levenshtein.distance(normalised(found), normalised(page["text"])) for found, page in zip(texts, truth)]
    rate = lambda errors, which=("eng", "deu"): 100 * sum(e for e, p in zip(errors, truth) if p["lang"] in which) / sum(
        n for n, p in zip(lengths, truth) if p["lang"] in which)
    results = {"pages": truth, "input_bytes": input_size, "lengths": lengths, "tools": {}}
    for name, (texts, seconds, size, raw, load_after) in rows.items():
        errors = errors_of(texts)
        raw_errors = None if raw is None else errors_of(raw)
        worst = max(range(pages), key=lambda i: errors[i] / lengths[i])
        print(f"| {name} | {rate(errors):.2f} % | {rate(errors, ('eng',)):.2f} % | {rate(errors, ('deu',)):.2f} % | "
              + ("" if raw is None else f"{rate(raw_errors):.2f} %") + " | "
              f"{100 * errors[worst] / lengths[worst]:.1f} % (p{worst + 1}) | {seconds:.1f} | {pages / seconds:.2f} | "
              f"{ratio(seconds, 'tesseract CLI')} | {ratio(seconds, one)} | "
              + ("" if size is None else f"{size} ({size / input_size:.3f})") + f" | {load_after:.1f} |")
        results["tools"][name] = {"seconds": seconds, "bytes": size, "errors": errors, "raw_errors": raw_errors, "texts": texts}
    print("\nCER per page, % (for PDFs: pdftotext / pdftotext -raw); the page's angle, JPEG quality, size and font:")
    print("| page | " + " | ".join(rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for i, page in enumerate(truth):
        cells = []
        for tool in results["tools"].values():
            cell = f"{100 * tool['errors'][i] / lengths[i]:.1f}"
            cells.append(cell if tool["raw_errors"] is None else f"{cell} / {100 * tool['raw_errors'][i] / lengths[i]:.1f}")
        print(f"| {page['page']} {page['lang']} {page['angle']:+.1f}° q{page['quality']} {page['points']} pt "
              f"{page['font'].split('-')[0][10:]} | " + " | ".join(cells) + " |")
    # Quire reads the same pixels with the same Tesseract: what differs from the CLI beyond word spaces?
    spaces = lambda text: normalised(text).count(" ")
    same = lambda a, b: normalised(a).replace(" ", "") == normalised(b).replace(" ", "")
    for name in ["quire to/text", "quire makesearchable"]:
        texts = rows[name][3] or rows[name][0]  # the text layer as written (-raw)
        lost = [spaces(c) - spaces(q) for q, c in zip(texts, rows[one][0])]
        print(f"\n{name}{' (-raw)' if rows[name][3] else ''}: {sum(same(q, c) for q, c in zip(texts, rows[one][0]))}/{pages} "
              f"pages equal to the CLI's text without spaces; word spaces lost against the CLI: {sum(lost)} of "
              f"{sum(spaces(c) for c in rows[one][0])}, by page {dict((i + 1, n) for i, n in enumerate(lost) if n)}")
    json.dump(results, open(os.path.join(work, "results.json"), "w"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
