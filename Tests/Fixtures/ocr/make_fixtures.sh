#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Makes the OCR fixtures: text.txt set by LibreOffice (text.pdf, the born-digital original), and
# scan.pdf, its page rendered at 300 dpi in gray and wrapped back into a PDF (an image only, as a
# scanner makes it). Run from this folder with a built quire: PATH=.build/debug:$PATH.
set -euo pipefail
quire convert office-to-pdf text.txt -o text.pdf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mutool draw -q -r 300 -c gray -o "$work/page.png" text.pdf 1
quire convert images-to-pdf "$work/page.png" -o scan.pdf
