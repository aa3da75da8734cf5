#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes the three inputs of bench/optimize.py into a folder (not committed: they are large):

  python3 bench/make_optimize_inputs.py [DIR]      default /tmp/quire-bench-optimize

  photos20.pdf  20 A4 pages of procedural photo-like images (~2500x1800) and a Helvetica line:
                18 pages with one or two JPEGs (quality 92, embedded verbatim as DCTDecode),
                2 pages with one RGB image as Flate + PNG predictors (the IDAT data of a PNG).
  scan10.pdf    10 pages as a scanner makes them: text rendered at 300 dpi in grayscale, paper
                tint, blur, noise and a slight skew, one 2480x3508 JPEG (quality 85) a page.
  report.pdf    ~30 pages of text-only report (headings, paragraphs, tables) exported by
                LibreOffice from a generated flat ODT, so with embedded subset TrueType fonts.

Deterministic (fixed seeds). Needs numpy, Pillow and soffice.
"""
import io, os, random, struct, subprocess, sys, tempfile, zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from make_text_pdf import serialize

A4 = (595.28, 841.89)
FONTS = "/usr/share/fonts/truetype"
WORDS = ("the quarterly revenue customer order service payment account balance report growth market "
         "region product team analysis forecast risk budget cost margin supplier contract delivery "
         "quality review audit policy of and to in for with on by from increase decrease against").split()


def write_pdf(path, pages):
    """pages: list of (content stream bytes, {name: image XObject (dict bytes, stream bytes)}).
    Every page is A4 and may use /F1 (Helvetica, not embedded)."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    def stream(dictionary, data):
        return dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = add(b"")
    kids = []
    for content, images in pages:
        xobjects = b" ".join(b"/%s %d 0 R" % (name.encode(), add(stream(*image))) for name, image in images.items())
        content_id = add(stream(b"<<", content))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << %s >> >> >>"
                        % (pages_id, *A4, content_id, font, xobjects)))
    objects[pages_id - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    with open(path, "wb") as f:
        f.write(serialize(objects, catalog, header=b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"))


def jpeg_xobject(image, quality):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    space = b"/DeviceGray" if image.mode == "L" else b"/DeviceRGB"
    return (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode"
            % (*image.size, space), buffer.getvalue())


def png_xobject(image):
    """The IDAT data of a PNG, as a PDF Flate stream with PNG predictors (what img2pdf does)."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    png, idat, at = buffer.getvalue(), b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        if kind == b"IDAT":
            idat += png[at + 8:at + 8 + length]
        at += 12 + length
    return (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode"
            b" /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns %d >>" % (*image.size, image.size[0]), idat)


def smooth(rng, cells, size, channels):
    """Random values on a coarse grid, bicubic-upsampled: gradients at the scale of SIZE/CELLS."""
    grid = rng.uniform(0, 255, (cells[1], cells[0], channels)).astype(np.uint8)
    image = Image.fromarray(grid.squeeze()).resize(size, Image.BICUBIC)
    return np.asarray(image, np.float32).reshape(size[1], size[0], channels)


def photo(rng, size=(2500, 1800)):
    """Photo-like RGB: sky-to-ground gradient, soft colour fields, blurred shapes, texture and sensor noise."""
    width, height = size
    ramp = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    top, bottom = rng.uniform(60, 230, 3), rng.uniform(20, 160, 3)
    pixels = (top * (1 - ramp) + bottom * ramp) * 0.6 + smooth(rng, (5, 4), size, 3) * 0.4
    shapes = Image.new("RGB", size)
    mask = Image.new("L", size)
    draw, draw_mask = ImageDraw.Draw(shapes), ImageDraw.Draw(mask)
    for _ in range(35):
        x, y = rng.integers(-200, width), rng.integers(-200, height)
        box = [x, y, x + rng.integers(80, 900), y + rng.integers(80, 700)]
        colour = tuple(int(c) for c in rng.integers(0, 256, 3) * 0.6 + 50)  # muted, as in nature
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
            draw_mask.ellipse(box, fill=int(rng.integers(120, 256)))
        else:
            points = [(int(x + rng.integers(-300, 600)), int(y + rng.integers(-300, 600))) for _ in range(5)]
            draw.polygon(points, fill=colour)
            draw_mask.polygon(points, fill=int(rng.integers(120, 256)))
    shapes = np.asarray(shapes.filter(ImageFilter.GaussianBlur(4)), np.float32)
    alpha = np.asarray(mask.filter(ImageFilter.GaussianBlur(6)), np.float32)[:, :, None] / 255
    pixels = pixels * (1 - alpha) + shapes * alpha
    pixels *= 0.9 + smooth(rng, (250, 180), size, 1) / 1275  # fine texture (foliage, fabric): +-10 %
    pixels += rng.normal(0, 3, (height, width, 1)) + rng.normal(0, 1.5, (height, width, 3))  # sensor noise
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def text_line(x, y, size, text):
    return b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, y, text.encode("latin-1"))


def make_photos(path, rng):
    pages = []
    for n in range(20):
        flate = n >= 18
        count = 1 if flate or n % 2 == 0 else 2
        width = 460 if count == 1 else 340
        height = width * 1800 / 2500
        content, images = b"", {}
        for i in range(count):
            name = "Im%d" % i
            image = photo(rng)
            images[name] = png_xobject(image) if flate else jpeg_xobject(image, 92)
            y = A4[1] - 90 - (i + 1) * height - i * 20
            content += b"q %.2f 0 0 %.2f %.2f %.2f cm /%s Do Q\n" % (width, height, (A4[0] - width) / 2, y, name.encode())
        caption = "Page %d: %s, %d photo%s" % (n + 1, "Flate RGB image" if flate else "JPEG image", count, "s" if count > 1 else "")
        pages.append((content + text_line(68, 60, 12, caption), images))
    write_pdf(path, pages)


def sentence(rnd, low=8, high=18):
    text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(low, high)))
    return text[0].upper() + text[1:] + "."


def make_scan(path, rng, rnd):
    font = ImageFont.truetype(os.path.join(FONTS, "liberation2/LiberationSerif-Regular.ttf"), 46)  # 11 pt at 300 dpi
    bold = ImageFont.truetype(os.path.join(FONTS, "liberation2/LiberationSerif-Bold.ttf"), 62)
    pages = []
    for n in range(10):
        page = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(page)
        draw.text((250, 250), "Scanned letter %d" % (n + 1), font=bold, fill=20)
        y, line = 420, ""
        while y < 3508 - 300:
            words = sentence(rnd, 12, 30).split() + ([""] if rnd.random() < 0.15 else [])  # "" ends a paragraph
            for word in words:
                if word and draw.textlength(line + " " + word, font=font) < 2480 - 500:
                    line = (line + " " + word).strip()
                    continue
                draw.text((250, y), line, font=font, fill=25)
                y, line = y + 62 + (40 if not word else 0), word
                if y >= 3508 - 300:
                    break
        page = page.rotate(float(rng.uniform(-0.6, 0.6)), Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.8))
        pixels = np.asarray(page, np.float32) * (0.93 + smooth(rng, (3, 4), page.size, 1)[:, :, 0] / 4000)
        pixels += rng.normal(0, 3, pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
        pages.append((b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n" % A4, {"Im0": jpeg_xobject(image, 85)}))
    write_pdf(path, pages)


def make_report(path, rnd):
    """A flat ODT (Liberation Serif body, Liberation Sans headings, tables) exported by soffice."""
    from xml.sax.saxutils import escape
    body = []
    for section in range(1, 26):
        body.append('<text:h text:style-name="H1" text:outline-level="1">%d. %s</text:h>' % (section, escape(sentence(rnd, 3, 6)[:-1].title())))
        for sub in range(1, 3):
            body.append('<text:h text:style-name="H2" text:outline-level="2">%d.%d %s</text:h>' % (section, sub, escape(sentence(rnd, 2, 5)[:-1].title())))
            for _ in range(4):
                body.append('<text:p text:style-name="Body">%s</text:p>' % escape(" ".join(sentence(rnd) for _ in range(rnd.randint(4, 8)))))
        rows = "".join('<table:table-row>%s</table:table-row>' % "".join(
            '<table:table-cell office:value-type="string"><text:p text:style-name="Cell">%s</text:p></table:table-cell>' % cell
            for cell in (escape(sentence(rnd, 2, 4)[:-1]), "%d" % rnd.randint(10, 99999), "%.2f EUR" % rnd.uniform(1, 99999), "%+.1f %%" % rnd.uniform(-30, 30)))
            for _ in range(12))
        body.append('<table:table table:name="T%d"><table:table-column table:number-columns-repeated="4"/>%s</table:table>' % (section, rows))
    document = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"/>
 <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'"/>
</office:font-face-decls>
<office:styles>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.2cm" fo:text-align="justify"/>
  <style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt"/></style:style>
 <style:style style:name="Cell" style:family="paragraph"><style:text-properties style:font-name="Liberation Sans" fo:font-size="9pt"/></style:style>
 <style:style style:name="H1" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.6cm" fo:margin-bottom="0.3cm"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="16pt" fo:font-weight="bold"/></style:style>
 <style:style style:name="H2" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="12pt" fo:font-weight="bold" fo:font-style="italic"/></style:style>
</office:styles>
<office:body><office:text>
%s
</office:text></office:body></office:document>
""" % "\n".join(body)
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "report.fodt")
        with open(source, "w") as f:
            f.write(document)
        subprocess.run(["soffice", "-env:UserInstallation=file://" + os.path.join(work, "profile"), "--headless",
                        "--convert-to", "pdf", "--outdir", work, source], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.replace(os.path.join(work, "report.pdf"), path)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/quire-bench-optimize"
    os.makedirs(folder, exist_ok=True)
    rng, rnd = np.random.default_rng(2024), random.Random(2024)
    make_photos(os.path.join(folder, "photos20.pdf"), rng)
    make_scan(os.path.join(folder, "scan10.pdf"), rng, rnd)
    make_report(os.path.join(folder, "report.pdf"), rnd)
    for name in ("photos20.pdf", "scan10.pdf", "report.pdf"):
        print("%-13s %10d bytes" % (name, os.path.getsize(os.path.join(folder, name))))


if __name__ == "__main__":
    main()
