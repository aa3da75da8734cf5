#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Regenerates the office test fixtures in this directory. Run by hand, not in CI:

    pip install python-docx openpyxl python-pptx msoffcrypto-tool Pillow
    python3 Tests/Fixtures/office/make_fixtures.py [OUTDIR]     # default: this directory

Needs `soffice` (LibreOffice 7.x) on PATH for the converted formats (.doc/.odt/.rtf, .xls/.ods, .odp).
Output is deterministic except for timestamps LibreOffice and the zip writers embed.

Files and what the tests may rely on:
  report.docx     2-3 pages: heading "Quire Test Report", paragraph with "Quarterly", 3x3 table with
                  "Cell-B2" in the middle cell, one embedded 48x32 JPEG, header "Quire Header",
                  footer "Page <PAGE field>".
  legacy.doc      Word 97 binary of report.docx (soffice "doc:MS Word 97")
  report.odt      ODF text of report.docx (soffice)
  report.rtf      RTF of report.docx (soffice)
  sheet.xlsx      sheets "First" ("Alpha-Sheet", numbers 10..50 and a SUM) and "Second" ("Beta-Sheet")
  sheet.xls       Excel 97 binary of sheet.xlsx (soffice)
  sheet.ods       ODF spreadsheet of sheet.xlsx (soffice)
  slides.pptx     3 slides titled "Slide One", "Slide Two", "Slide Three"
  slides.odp      ODF presentation of slides.pptx (soffice)
  plain.txt       UTF-8: ASCII line, "Grüße aus Köln", "日本語のテキスト"
  data.csv        header "name,amount", rows incl. "Widget"
  encrypted.docx  report.docx encrypted (ECMA-376 agile) with password "secret"
  macro.odt       text "Macro document"; a Basic macro Standard.Module1.OnOpen bound to the document
                  "Open Document" event (dom:load / OnLoad) that would write /tmp/quire-macro-ran.
                  LibreOffice's default macro security (High) must refuse to run it.
  garbage.docx    4096 bytes from random.Random(20240601): not a document

Linked (non-embedded) images are made on demand by make_linked.py, because the URL and path
they point to depend on the test.
"""
import io, os, random, shutil, subprocess, sys, tempfile, zipfile

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
import openpyxl
from pptx import Presentation
from msoffcrypto.format.ooxml import OOXMLFile
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def tiny_jpeg():
    image = Image.new("RGB", (48, 32))
    for x in range(48):
        for y in range(32):
            image.putpixel((x, y), (x * 5, y * 7, 128))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def page_field(paragraph):
    """Appends a complex PAGE field (begin / instrText / separate / "1" / end) to the paragraph."""
    def run_with(element):
        run = paragraph.add_run()
        run._r.append(element)
        return run
    begin = OxmlElement("w:fldChar"); begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText"); instr.set(qn("xml:space"), "preserve"); instr.text = " PAGE "
    separate = OxmlElement("w:fldChar"); separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar"); end.set(qn("w:fldCharType"), "end")
    run_with(begin); run_with(instr); run_with(separate)
    paragraph.add_run("1")
    run_with(end)


def make_report(path):
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Quire Header"
    footer = section.footer.paragraphs[0]
    footer.text = "Page "
    page_field(footer)

    document.add_heading("Quire Test Report", level=1)
    document.add_paragraph("Quarterly results are summarised below. This fixture exercises headings, "
                           "tables, an embedded image, a header and a footer with a page number field.")
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for row in range(3):
        for column in range(3):
            table.cell(row, column).text = f"Cell-{'ABC'[column]}{row + 1}"
    document.add_paragraph("An embedded JPEG image follows.")
    document.add_picture(io.BytesIO(tiny_jpeg()), width=Inches(1.5))
    filler = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt "
              "ut labore et dolore magna aliqua. ")
    for number in range(1, 9):
        document.add_paragraph(f"Filler paragraph {number}. " + filler * 3)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("Second Page", level=2)
    for number in range(9, 15):
        document.add_paragraph(f"Filler paragraph {number}. " + filler * 3)
    document.add_paragraph("End of report.")
    document.core_properties.title = "Quire Test Report"
    document.save(path)


def make_sheet(path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "First"
    first["A1"] = "Alpha-Sheet"
    first["B1"] = "Value"
    for row, value in enumerate([10, 20, 30, 40, 50], start=2):
        first.cell(row=row, column=1, value=f"Item {row - 1}")
        first.cell(row=row, column=2, value=value)
    first["A7"] = "Total"
    first["B7"] = "=SUM(B2:B6)"
    first["C2"] = 3.25
    first.column_dimensions["A"].width = 18  # so "Alpha-Sheet" is not clipped by B1
    second = book.create_sheet("Second")
    second["A1"] = "Beta-Sheet"
    second["A2"] = 42
    book.save(path)


def make_slides(path):
    presentation = Presentation()
    for title, body in [("Slide One", "First slide body"), ("Slide Two", "Second slide body"),
                        ("Slide Three", "Third slide body")]:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    presentation.save(path)


MACRO_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="Basic/script-lc.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="Basic/Standard/script-lb.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="Basic/Standard/Module1.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

MACRO_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"
 xmlns:ooo="http://openoffice.org/2004/office" xmlns:dom="http://www.w3.org/2001/xml-events"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">
 <office:scripts>
  <office:event-listeners>
   <script:event-listener script:language="ooo:script" script:event-name="dom:load"
    xlink:href="vnd.sun.star.script:Standard.Module1.OnOpen?language=Basic&amp;location=document" xlink:type="simple"/>
  </office:event-listeners>
 </office:scripts>
 <office:body>
  <office:text>
   <text:p>Macro document</text:p>
   <text:p>This document carries a Basic macro bound to the Open Document event. A converter must not run it.</text:p>
  </office:text>
 </office:body>
</office:document-content>
"""

MACRO_STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2"/>
"""

MACRO_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" library:link="false"/>
</library:libraries>
"""

MACRO_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Module1"/>
</library:library>
"""

MACRO_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic" script:moduleType="normal">REM Runs on Open Document if macros are allowed. Quire must never let it run.
Sub OnOpen
  Dim n As Integer
  n = FreeFile()
  Open &quot;/tmp/quire-macro-ran&quot; For Output As #n
  Print #n, &quot;macro ran&quot;
  Close #n
End Sub
</script:module>
"""


def make_macro_odt(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")  # stored, first
        for name, text in [("META-INF/manifest.xml", MACRO_MANIFEST), ("content.xml", MACRO_CONTENT),
                           ("styles.xml", MACRO_STYLES), ("Basic/script-lc.xml", MACRO_LIBRARIES),
                           ("Basic/Standard/script-lb.xml", MACRO_LIBRARY), ("Basic/Standard/Module1.xml", MACRO_MODULE)]:
            archive.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)


def soffice_convert(source, target_format, outdir, profile):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target_format,
                    "--outdir", outdir, source], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    out = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else HERE
    os.makedirs(out, exist_ok=True)
    join = lambda name: os.path.join(out, name)

    make_report(join("report.docx"))
    make_sheet(join("sheet.xlsx"))
    make_slides(join("slides.pptx"))
    make_macro_odt(join("macro.odt"))

    with open(join("plain.txt"), "w", encoding="utf-8") as text:
        text.write("Plain text fixture for Quire.\nGrüße aus Köln\n日本語のテキスト\nLast line.\n")
    with open(join("data.csv"), "w", encoding="utf-8", newline="") as csv:
        csv.write("name,amount\nWidget,12.50\nGadget,7.25\nSprocket,3\n")
    with open(join("garbage.docx"), "wb") as garbage:
        garbage.write(random.Random(20240601).randbytes(4096))
    with open(join("report.docx"), "rb") as plain, open(join("encrypted.docx"), "wb") as encrypted:
        OOXMLFile(plain).encrypt("secret", encrypted)

    with tempfile.TemporaryDirectory() as work:
        profile = os.path.join(work, "profile")
        for source, target, name in [("report.docx", "doc:MS Word 97", "legacy.doc"),
                                     ("report.docx", "odt", "report.odt"),
                                     ("report.docx", "rtf", "report.rtf"),
                                     ("sheet.xlsx", "xls:MS Excel 97", "sheet.xls"),
                                     ("sheet.xlsx", "ods", "sheet.ods"),
                                     ("slides.pptx", "odp", "slides.odp")]:
            converted = os.path.join(work, "converted")
            os.makedirs(converted, exist_ok=True)
            soffice_convert(join(source), target, converted, profile)
            produced = os.path.join(converted, os.path.splitext(source)[0] + "." + target.split(":")[0])
            shutil.move(produced, join(name))

    for name in sorted(os.listdir(out)):
        if not name.endswith(".py"):
            print(f"{os.path.getsize(join(name)):>8}  {name}")


if __name__ == "__main__":
    main()
