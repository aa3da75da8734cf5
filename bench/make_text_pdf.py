#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes a text-only PDF of N pages (Helvetica, ~50 lines a page, a two-column table on each
page) for benchmarks: make_text_pdf.py OUT.pdf [PAGES]. No dependencies."""
import random, sys

def serialize(objects, catalog, header=b"%PDF-1.4\n"):
    """A PDF file of `objects` (object i+1 = objects[i]) with its xref table and trailer."""
    data = bytearray(header)
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(data)


def page_stream(n, rng):
    words = "invoice total amount quarterly report revenue customer order widget gadget service payment due date account balance".split()
    lines = ["BT /F1 16 Tf 72 740 Td (Report page %d) Tj ET" % (n + 1)]
    y = 710
    for i in range(40):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 12)))
        lines.append("BT /F1 10 Tf 72 %d Td (%s %d) Tj ET" % (y, text, i))
        y -= 14
    for i in range(6):
        lines.append("BT /F1 10 Tf 72 %d Td (Item %d) Tj ET" % (y, i))
        lines.append("BT /F1 10 Tf 300 %d Td (%d.%02d EUR) Tj ET" % (y, rng.randint(1, 999), rng.randint(0, 99)))
        y -= 14
    return "\n".join(lines).encode()

def main():
    out, pages = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rng = random.Random(42)
    objects = []
    def add(body):
        objects.append(body)
        return len(objects)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = add(b"")  # filled in below
    kids = []
    for n in range(pages):
        stream = page_stream(n, rng)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    objects[pages_id - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(b"%d 0 R" % k for k in kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    open(out, "wb").write(serialize(objects, catalog))

if __name__ == "__main__":
    main()
