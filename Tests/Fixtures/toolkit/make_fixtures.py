#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Regenerates the PDF toolkit fixtures in this directory (run by hand, not in CI):

    pip install pikepdf Pillow numpy
    python3 Tests/Fixtures/toolkit/make_fixtures.py [OUTDIR]     # default: this directory

See README.md for what each file contains and what the tests may rely on. The unencrypted files
are byte-for-byte reproducible (fixed /ID, no timestamps); the encrypted ones are not, because
qpdf draws random salts and IVs.
"""
import io
import os
import re
import sys

import numpy as np
import pikepdf
from pikepdf import Array, Dictionary, Name, Permissions, String
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
LETTER = (612, 792)
A4 = (595, 842)
INFO_DATE = "D:20240601000000Z"


# ---------------------------------------------------------------------------------------------
# helpers

def helvetica(pdf):
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                        Encoding=Name.WinAnsiEncoding))


def esc(text):
    """A PDF literal string body (ASCII only)."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_ops(lines, font="F1"):
    """lines: [(x, y, size, text)] -> content stream bytes with one BT/Tf/Td/Tj/ET per line."""
    out = []
    for x, y, size, text in lines:
        out.append("BT /%s %g Tf %g %g Td (%s) Tj ET" % (font, size, x, y, esc(text)))
    return ("\n".join(out) + "\n").encode("ascii")


def new_pdf(title):
    pdf = pikepdf.new()
    pdf.trailer.Info = pdf.make_indirect(Dictionary(
        Title=String(title), Author=String("Quire test fixtures"), Creator=String("make_fixtures.py"),
        CreationDate=String(INFO_DATE), ModDate=String(INFO_DATE)))
    return pdf


def text_page(pdf, font, size, lines, extra_ops=b""):
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, size[0], size[1]]),
                      Resources=Dictionary(Font=Dictionary(F1=font)),
                      Contents=pdf.make_stream(text_ops(lines) + extra_ops))
    return page


def numbered(letter, count, size, title=None):
    pdf = new_pdf(title or "Numbered %s (%d pages)" % (letter, count))
    font = helvetica(pdf)
    w, h = size
    for n in range(1, count + 1):
        lines = [(72, h - 108, 36, "%s page %d" % (letter, n)),
                 (72, h - 140, 12, "%s of %d, MediaBox %g x %g pt" % (n, count, w, h))]
        pdf.pages.append(pikepdf.Page(text_page(pdf, font, size, lines)))
    return pdf


def save(pdf, path, **kw):
    kw.setdefault("deterministic_id", "encryption" not in kw)
    pdf.save(path, **kw)


# ---------------------------------------------------------------------------------------------
# 1. numbered-a.pdf / numbered-b.pdf

def make_numbered(out):
    save(numbered("A", 3, LETTER), out("numbered-a.pdf"))
    save(numbered("B", 5, A4), out("numbered-b.pdf"))


# ---------------------------------------------------------------------------------------------
# 2. form.pdf

def photo_jpeg():
    """1000x800 procedural landscape, JPEG quality 95 (~125 KB): something for an optimizer to shrink."""
    W, H = 1000, 800
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    rng = np.random.default_rng(20240601)
    img = np.zeros((H, W, 3), np.float32)
    t = y / H
    img[..., 0] = 90 + 120 * t
    img[..., 1] = 150 + 80 * t
    img[..., 2] = 235 - 40 * t
    sun = np.clip(1 - (np.hypot(x - 760, y - 170) - 60) / 25, 0, 1)
    img = img * (1 - sun[..., None]) + np.array([255, 240, 180], np.float32) * sun[..., None]
    for k, (base, amp, freq, col) in enumerate([(480, 60, 0.006, (70, 120, 60)), (560, 45, 0.011, (50, 100, 40)),
                                                (650, 30, 0.02, (35, 80, 30))]):
        ridge = base + amp * np.sin(x * freq + k) + amp * 0.5 * np.sin(x * freq * 2.7 + 2 * k)
        tex = 1 + 0.12 * np.sin(x * 0.15 + y * 0.05 * (k + 1)) * np.sin(y * 0.21)
        c = np.array(col, np.float32)[None, None, :] * tex[..., None] * (1 + 0.3 * (y - ridge)[..., None] / H)
        img = np.where((y > ridge)[..., None], c, img)
    img += rng.normal(0, 1.5, img.shape)
    buf = io.BytesIO()
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=95)
    return buf.getvalue(), W, H


def xobject(pdf, w, h, ops, resources=None):
    d = dict(Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, w, h]))
    if resources is not None:
        d["Resources"] = resources
    return pdf.make_stream(ops.encode("ascii"), **d)


def make_form(out):
    pdf = new_pdf("Form fixture")
    helv = helvetica(pdf)
    zadb = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.ZapfDingbats))
    dr = Dictionary(Font=Dictionary(Helv=helv, ZaDb=zadb))
    helv_res = Dictionary(Font=Dictionary(Helv=helv))
    W, H = LETTER

    jpeg, iw, ih = photo_jpeg()
    image = pdf.make_stream(jpeg, Type=Name.XObject, Subtype=Name.Image, Width=iw, Height=ih,
                            ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode)

    # page 1: labels, the photo, the link target text
    p1_lines = [(72, 720, 24, "Form page 1"),
                (72, 676, 12, "Name:"),
                (72, 646, 12, "I agree:"),
                (72, 616, 12, "Favourite color:"),
                (72, 560, 12, "Visit https://example.com for details.")]
    p1_ops = text_ops(p1_lines) + b"q 300 0 0 240 72 72 cm /Im1 Do Q\n"
    page1 = pdf.make_indirect(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, W, H]),
        Resources=Dictionary(Font=Dictionary(F1=helv), XObject=Dictionary(Im1=image)),
        Contents=pdf.make_stream(p1_ops)))
    p2_lines = [(72, 720, 24, "Form page 2"), (72, 676, 12, "Notes:")]
    page2 = pdf.make_indirect(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, W, H]),
        Resources=Dictionary(Font=Dictionary(F1=helv)), Contents=pdf.make_stream(text_ops(p2_lines))))

    def widget(page, rect, **kw):
        d = Dictionary(Type=Name.Annot, Subtype=Name.Widget, F=4, P=page, Rect=Array(rect),
                       Border=Array([0, 0, 1]), **kw)
        return pdf.make_indirect(d)

    # text field "name"
    name = widget(page1, [180, 668, 400, 688], FT=Name.Tx, T=String("name"), V=String("Ada Lovelace"),
                  DA=String("/Helv 12 Tf 0 g"), MK=Dictionary(BC=Array([0, 0, 0])))
    name.AP = Dictionary(N=xobject(pdf, 220, 20, "0 G 1 w 0.5 0.5 219 19 re S\n/Tx BMC q BT /Helv 12 Tf 0 g "
                                   "2 6 Td (Ada Lovelace) Tj ET Q EMC\n", helv_res))

    # checkbox "agree", checked
    agree = widget(page1, [180, 640, 196, 656], FT=Name.Btn, T=String("agree"), V=Name.Yes, AS=Name.Yes,
                   DA=String("/ZaDb 12 Tf 0 g"), MK=Dictionary(BC=Array([0, 0, 0]), CA=String("4")))
    box = "0 G 1 w 0.5 0.5 15 15 re S\n"
    agree.AP = Dictionary(N=Dictionary(
        Yes=xobject(pdf, 16, 16, box + "q BT /ZaDb 12 Tf 0 g 2.5 3.5 Td (4) Tj ET Q\n",
                    Dictionary(Font=Dictionary(ZaDb=zadb))),
        Off=xobject(pdf, 16, 16, box)))

    # combo box "color"
    color = widget(page1, [180, 608, 300, 628], FT=Name.Ch, Ff=1 << 17, T=String("color"),
                   Opt=Array([String("Red"), String("Green")]), V=String("Green"), DA=String("/Helv 12 Tf 0 g"),
                   MK=Dictionary(BC=Array([0, 0, 0])))
    color.AP = Dictionary(N=xobject(pdf, 120, 20, "0 G 1 w 0.5 0.5 119 19 re S\n/Tx BMC q BT /Helv 12 Tf 0 g "
                                    "2 6 Td (Green) Tj ET Q EMC\n", helv_res))

    # multiline text field "notes" on page 2
    notes = widget(page2, [72, 560, 400, 660], FT=Name.Tx, Ff=1 << 12, T=String("notes"),
                   V=String("First line of notes\nSecond line of notes"), DA=String("/Helv 12 Tf 0 g"),
                   MK=Dictionary(BC=Array([0, 0, 0])))
    notes.AP = Dictionary(N=xobject(pdf, 328, 100, "0 G 1 w 0.5 0.5 327 99 re S\n/Tx BMC q BT /Helv 12 Tf 0 g "
                                    "14 TL 2 84 Td (First line of notes) Tj T* (Second line of notes) Tj ET Q "
                                    "EMC\n", helv_res))

    # annotations that are not fields
    sticky = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Text, P=page1, Rect=Array([500, 700, 520, 720]), F=4 | 24,
        Contents=String("Reviewed"), T=String("Reviewer"), Name=Name.Comment, Open=False, C=Array([1, 1, 0]),
        AP=Dictionary(N=xobject(pdf, 20, 20, "1 1 0 rg 0 G 1 w 0.5 0.5 19 19 re B\n"))))
    link = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([96, 556, 208, 572]), Border=Array([0, 0, 0]),
        A=Dictionary(S=Name.URI, URI=String("https://example.com"))))
    # highlight over "Form page 1"
    hl_rect = [70, 714, 206, 744]
    multiply = Dictionary(ExtGState=Dictionary(GS0=Dictionary(Type=Name.ExtGState, BM=Name.Multiply)))
    highlight = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Highlight, P=page1, Rect=Array(hl_rect), F=4, C=Array([1, 1, 0]),
        QuadPoints=Array([70, 744, 206, 744, 70, 714, 206, 714]), Contents=String("Title highlighted"),
        AP=Dictionary(N=xobject(pdf, 136, 30, "/GS0 gs 1 1 0 rg 0 0 136 30 re f\n", multiply))))
    square = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Square, P=page1, Rect=Array([420, 600, 540, 680]), F=4, C=Array([1, 0, 0]),
        BS=Dictionary(W=2), Contents=String("Square markup"),
        AP=Dictionary(N=xobject(pdf, 120, 80, "1 0 0 RG 2 w 1 1 118 78 re S\n"))))
    page1.Annots = Array([name, agree, color, sticky, link, highlight, square])
    page2.Annots = Array([notes])
    pdf.pages.append(pikepdf.Page(page1))
    pdf.pages.append(pikepdf.Page(page2))
    assert pdf.pages[0].obj.objgen == page1.objgen and pdf.pages[1].obj.objgen == page2.objgen
    pdf.Root.AcroForm = Dictionary(Fields=Array([name, agree, color, notes]),
                                   NeedAppearances=False, DA=String("/Helv 0 Tf 0 g"), DR=dr)
    save(pdf, out("form.pdf"))


# ---------------------------------------------------------------------------------------------
# 3. damaged-xref.pdf

def make_damaged(out):
    pdf = new_pdf("Damaged xref fixture")
    font = helvetica(pdf)
    for n in (1, 2):
        lines = [(72, 700, 24, "Damaged page %d" % n), (72, 670, 12, "The xref offsets of this file are wrong.")]
        pdf.pages.append(pikepdf.Page(text_page(pdf, font, LETTER, lines)))
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
             compress_streams=False, qdf=False)
    data = buf.getvalue()
    # Classic xref table: "xref\n0 N\n" then N 20-byte entries "oooooooooo ggggg n \n". Add 7 to every
    # in-use offset, so each points into the middle of an object; startxref stays right.
    start = int(re.search(rb"startxref\s+(\d+)", data).group(1))
    m = re.compile(rb"xref\s*\n0 (\d+)\s*\n").match(data, start)
    assert m, "expected a classic xref table"
    pos, count = m.end(), int(m.group(1))
    table = bytearray(data[pos:pos + 20 * count])
    for i in range(count):
        entry = table[20 * i:20 * i + 20]
        if entry[17:18] == b"n":
            table[20 * i:20 * i + 10] = b"%010d" % (int(entry[:10]) + 7)
    data = data[:pos] + bytes(table) + data[pos + 20 * count:]
    with open(out("damaged-xref.pdf"), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------------------------
# 4./5. encrypted

def make_encrypted(out):
    # pikepdf's Permissions() defaults to modify_assembly=False, so every file spells all eight out.
    a = lambda title: numbered("A", 3, LETTER, title)
    save(a("Encrypted AES-256"), out("encrypted-aes256.pdf"), encryption=pikepdf.Encryption(
        user="user123", owner="owner456", R=6, aes=True,
        allow=Permissions(accessibility=True, extract=True, print_lowres=True, print_highres=True,
                          modify_annotation=False, modify_assembly=False, modify_form=False, modify_other=False)))
    save(a("Encrypted RC4-128"), out("encrypted-rc4.pdf"), encryption=pikepdf.Encryption(
        user="user123", owner="owner456", R=3, aes=False, metadata=False,
        allow=Permissions(accessibility=True, extract=True, print_lowres=True, print_highres=True,
                          modify_annotation=True, modify_assembly=True, modify_form=True, modify_other=True)))
    save(a("Owner password only"), out("owner-only.pdf"), encryption=pikepdf.Encryption(
        user="", owner="owner456", R=6, aes=True,
        allow=Permissions(accessibility=True, extract=False, print_lowres=False, print_highres=False,
                          modify_annotation=True, modify_assembly=True, modify_form=True, modify_other=True)))


# ---------------------------------------------------------------------------------------------
# 6. rotated.pdf

def make_rotated(out):
    """Pages -> [Mid (/Rotate 180) -> [page1, page2 (/Rotate 90), page3]]. MediaBox and Resources are
    inherited from the root /Pages node. Built by hand: pikepdf's page-list API would flatten the tree."""
    pdf = new_pdf("Rotated fixture")
    font = helvetica(pdf)
    root = pdf.make_indirect(Dictionary(Type=Name.Pages, MediaBox=Array([0, 0, LETTER[0], LETTER[1]]),
                                        Resources=Dictionary(Font=Dictionary(F1=font)), Count=3, Kids=Array()))
    mid = pdf.make_indirect(Dictionary(Type=Name.Pages, Parent=root, Rotate=180, Count=3, Kids=Array()))
    root.Kids.append(mid)
    effective = {1: 180, 2: 90, 3: 180}
    for n in (1, 2, 3):
        lines = [(72, 700, 24, "Rotated page %d" % n),
                 (72, 670, 12, "effective /Rotate %d (%s)" % (effective[n], "own" if n == 2 else "inherited"))]
        page = pdf.make_indirect(Dictionary(Type=Name.Page, Parent=mid, Contents=pdf.make_stream(text_ops(lines))))
        if n == 2:
            page.Rotate = 90
        mid.Kids.append(page)
    pdf.Root.Pages = root
    save(pdf, out("rotated.pdf"))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(outdir, exist_ok=True)
    out = lambda n: os.path.join(outdir, n)
    make_numbered(out)
    make_form(out)
    make_damaged(out)
    make_encrypted(out)
    make_rotated(out)
    for n in sorted(os.listdir(outdir)):
        if n.endswith(".pdf"):
            size = os.path.getsize(out(n))
            assert size < 200_000, "%s is %d bytes" % (n, size)
            print("%-22s %7d bytes" % (n, size))


if __name__ == "__main__":
    main()
