#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes a document whose two images are LINKED, not embedded, for the "office conversion must not
fetch external resources" tests. Standard library only.

    python3 make_linked.py OUT.docx URL LOCALPATH
    python3 make_linked.py OUT.odt  URL LOCALPATH

The body says "Linked document". Image 1 points at URL (e.g. http://127.0.0.1:PORT/remote.png),
image 2 at file://LOCALPATH (LOCALPATH made absolute). The format follows OUT's extension:
  .docx  <a:blip r:link="..."/> with relationships of TargetMode="External"
  .odt   <draw:image xlink:href="..."/> pointing outside the package
"""
import os, sys, zipfile
from xml.sax.saxutils import escape, quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
 <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
 <Default Extension="xml" ContentType="application/xml"/>
 <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>
"""

PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
 <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>
"""


def docx_picture(number, rel_id, name):
    emu = 914400  # one inch square
    return f"""<w:p><w:r><w:drawing>
 <wp:inline distT="0" distB="0" distL="0" distR="0">
  <wp:extent cx="{emu}" cy="{emu}"/>
  <wp:docPr id="{number}" name={quoteattr(name)}/>
  <a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
   <a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
    <pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">
     <pic:nvPicPr><pic:cNvPr id="{number}" name={quoteattr(name)}/><pic:cNvPicPr/></pic:nvPicPr>
     <pic:blipFill><a:blip r:link="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
     <pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu}" cy="{emu}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>
    </pic:pic>
   </a:graphicData>
  </a:graphic>
 </wp:inline>
</w:drawing></w:r></w:p>"""


def write_docx(out, url, local):
    document = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">
<w:body>
<w:p><w:r><w:t>Linked document</w:t></w:r></w:p>
<w:p><w:r><w:t>Image linked to a URL:</w:t></w:r></w:p>
{docx_picture(1, "rIdRemote", "remote")}
<w:p><w:r><w:t>Image linked to a local file:</w:t></w:r></w:p>
{docx_picture(2, "rIdLocal", "local")}
<w:p><w:r><w:t>End of linked document.</w:t></w:r></w:p>
</w:body>
</w:document>
"""
    rels = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
 <Relationship Id="rIdRemote" Type="{IMAGE_REL}" Target={quoteattr(url)} TargetMode="External"/>
 <Relationship Id="rIdLocal" Type="{IMAGE_REL}" Target={quoteattr(local)} TargetMode="External"/>
</Relationships>
"""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", rels)


ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def odt_picture(name, href):
    return (f'<text:p><draw:frame draw:name={quoteattr(name)} text:anchor-type="as-char" svg:width="2.54cm" svg:height="2.54cm">'
            f'<draw:image xlink:href={quoteattr(href)} xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
            f'</draw:frame></text:p>')


def write_odt(out, url, local):
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">
<office:body><office:text>
<text:p>Linked document</text:p>
<text:p>Image linked to a URL:</text:p>
{odt_picture("remote", url)}
<text:p>Image linked to a local file:</text:p>
{odt_picture("local", local)}
<text:p>End of linked document.</text:p>
</office:text></office:body>
</office:document-content>
"""
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")  # stored, first
        archive.writestr("META-INF/manifest.xml", ODT_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    out, url, local = sys.argv[1], sys.argv[2], sys.argv[3]
    local_url = "file://" + os.path.abspath(local) if not local.startswith("file:") else local
    extension = os.path.splitext(out)[1].lower()
    if extension == ".docx":
        write_docx(out, url, local_url)
    elif extension == ".odt":
        write_odt(out, url, local_url)
    else:
        sys.exit(f"make_linked.py: unsupported extension {extension!r} (want .docx or .odt)")


if __name__ == "__main__":
    main()
