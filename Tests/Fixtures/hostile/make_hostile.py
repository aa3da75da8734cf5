#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes hostile documents into DIR for HostileDocumentTests: make_hostile.py DIR.
Each is small on disk and built to hurt a reader that trusts it:

  inflate-bomb.pdf   page content of ~1 MB Flate that inflates to 1 GB of drawing operators
  xref-loop.pdf      a damaged file whose xref /Prev points at itself (repair must not loop)
  deep-nesting.pdf   a page dictionary holding arrays nested 100 000 deep
  many-pages.pdf     a page tree of 100 000 pages, all sharing one content stream
  huge-image.pdf     an image XObject that claims 60 000 x 60 000 pixels (3.6 billion)
  zip-bomb.docx      a DOCX whose word/document.xml inflates to 1 GB
No dependencies."""
import io, os, sys, zipfile, zlib


def pdf(objects, root=1, trailer_extra=b"", xref=True):
    """A PDF of `objects` (object i+1 = objects[i]) with an xref table and trailer."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer_extra, start)
    return bytes(out)


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>"


def inflate_bomb():
    # 1 GB of "0 0 m " (a moveto): harmless operators, so only the size hurts.
    compressor, chunk, parts = zlib.compressobj(9), b"0 0 m " * 174763, []
    for _ in range(1024):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    stream = b"".join(parts)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE, content])


def xref_loop():
    body = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE,
                b"<< /Length 0 >>\nstream\n\nendstream"], xref=False)
    # An xref section whose trailer's /Prev is its own offset, and a startxref pointing at it.
    start = body.rindex(b"trailer")
    head = body[:start]
    xref_at = len(head)
    section = b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (xref_at, xref_at)
    return head + section


def deep_nesting():
    depth = 100_000
    nested = b"[" * depth + b"]" * depth
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Deep " + nested + b" >>"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
                b"<< /Length 24 >>\nstream\nBT /F1 12 Tf (x) Tj ET\nendstream"])


def many_pages():
    count = 100_000
    # Pages are objects 5.. ; one /Pages node per 1 000 leaves keeps the tree shallow.
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Length 44 >>\nstream\nBT /Helvetica 12 Tf 72 720 Td (page) Tj ET\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    groups = count // 1000
    first_group = 5
    first_page = first_group + groups
    for g in range(groups):
        kids = b" ".join(b"%d 0 R" % (first_page + g * 1000 + i) for i in range(1000))
        objects.append(b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count 1000 >>" % kids)
    for g in range(groups):
        for _ in range(1000):
            objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                           b"/Resources << /Font << /Helvetica 4 0 R >> >> >>" % (first_group + g))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (first_group + g) for g in range(groups)), count)
    return pdf(objects)


def huge_image():
    data = zlib.compress(b"\0" * 65536)
    image = b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceRGB /BitsPerComponent 8 " \
            b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
                b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream", image])


def zip_bomb_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                         '<Default Extension="xml" ContentType="application/xml"/>'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels",
                         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with archive.open("word/document.xml", "w", force_zip64=True) as document:
            document.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = b"A" * (1 << 20)
            for _ in range(1024):
                document.write(chunk)
            document.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, make in [("inflate-bomb.pdf", inflate_bomb), ("xref-loop.pdf", xref_loop), ("deep-nesting.pdf", deep_nesting),
                       ("many-pages.pdf", many_pages), ("huge-image.pdf", huge_image), ("zip-bomb.docx", zip_bomb_docx)]:
        with open(os.path.join(out, name), "wb") as file:
            file.write(make())


if __name__ == "__main__":
    main()
