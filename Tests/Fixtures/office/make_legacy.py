#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes the legacy and damaged spreadsheets the office tests use. Plain Python, no packages:

    python3 Tests/Fixtures/office/make_legacy.py [OUTDIR]     # default: this directory

Output is deterministic. Files and what the tests may rely on:
  excel4.xls      an Excel 4.0 worksheet: a bare BIFF4 record stream (BOF 0x0409), no OLE2
                  container. Cells A1:A3 "Legacy-Sheet", "Beta", "Gamma"; B1:B3 1.5, 42, 7.25.
                  `soffice --convert-to pdf` reads it (filter "MS Excel 4.0").
  biff5-bare.xls  the same cells as a bare BIFF5 worksheet stream (BOF 0x0809): the bytes of an
                  Excel 5 "Book" stream without the OLE2 container (and so without the usual
                  "Workbook"/"Book" streams). soffice reads it (LibreOffice bug fdo#70100).
  damaged.xls     sheet.xls (Excel 97) with the directory's first sector number in the OLE2
                  header set to 0xFFFFFFF0: no stream can be found. soffice "converts" it only by
                  falling back to its CSV text import (the PDF shows the raw bytes as text);
                  LibreOfficeKit cannot run that fallback (its CSV dialog is cancelled).
"""
import os, struct, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CELLS = [("Legacy-Sheet", 1.5), ("Beta", 42.0), ("Gamma", 7.25)]


def record(kind, data=b""):
    return struct.pack("<HH", kind, len(data)) + data


def worksheet(bof, version, xf):
    """A worksheet stream: BOF, DIMENSIONS, a LABEL and a NUMBER per row, EOF."""
    # BOF: version, type 0x0010 (worksheet), build; BIFF5 adds the build year.
    header = struct.pack("<HHH", version, 0x0010, 0) + (struct.pack("<H", 0) if bof == 0x0809 else b"")
    out = record(bof, header)
    out += record(0x0200, struct.pack("<HHHHH", 0, len(CELLS), 0, 2, 0))  # DIMENSIONS
    for row, (text, number) in enumerate(CELLS):
        label = text.encode("latin-1")
        out += record(0x0204, struct.pack("<HHHH", row, 0, xf, len(label)) + label)  # LABEL
        out += record(0x0203, struct.pack("<HHHd", row, 1, xf, number))  # NUMBER
    return out + record(0x000A)  # EOF


def damaged(source):
    data = bytearray(open(source, "rb").read())
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1"), "sheet.xls is an OLE2 file"
    struct.pack_into("<I", data, 48, 0xFFFFFFF0)  # first directory sector: none
    return bytes(data)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out, exist_ok=True)
    files = {
        "excel4.xls": worksheet(0x0409, 0x0000, 0),
        "biff5-bare.xls": worksheet(0x0809, 0x0500, 0x0F),
        "damaged.xls": damaged(os.path.join(HERE, "sheet.xls")),
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
