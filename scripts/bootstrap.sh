#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs the Debian packages Quire builds and tests against. Idempotent: does nothing
# when every package is already there, so `make serve` and `make test` can call it each time.
set -euo pipefail

# Build: MuPDF ships static archives only and its package declares no dependencies, so the
# shared libraries the archive needs are listed by hand (see docs/engines.md). HarfBuzz's
# headers: the editor shapes Arabic and Hebrew itself (Sources/CMuPDF/bidi_text.c). GMime and
# libgsf read e-mail (.eml, Outlook .msg) for /pdf/convert/from/email and /email/* (Sources/CMail).
BUILD_PACKAGES=(
  pkg-config libsqlite3-dev
  libmupdf-dev libfreetype-dev libjpeg-dev zlib1g-dev
  libharfbuzz-dev libjbig2dec0 libopenjp2-7 libgumbo1 libmujs2
  libwebp-dev libdeflate-dev libtiff-dev libreofficekit-dev libqpdf-dev libxlsxwriter-dev
  libzint-dev libzxing-dev libtesseract-dev
  libgmime-3.0-dev libgsf-1-dev
)
# Runtime: LibreOffice for office → PDF. The GUI variants, not *-nogui: those leave out the .ui
# files, and LibreOfficeKit cannot create a Calc document without them. Metric-compatible fonts
# (Carlito = Calibri, Caladea = Cambria, Liberation = Arial/Times/Courier) and Noto CJK so
# layouts match Word's and Asian text is not boxes.
RUNTIME_PACKAGES=(
  libreoffice-writer libreoffice-calc libreoffice-impress libreoffice-draw
  fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2 fonts-dejavu-core fonts-noto-cjk
)
# OCR: Tesseract's models (34 MB), the languages of PDF.co's `lang` list that matter most, and
# orientation detection (osd) for /pdf/edit/rotate/auto.
RUNTIME_PACKAGES+=(
  tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-ita
  tesseract-ocr-por tesseract-ocr-rus tesseract-ocr-chi-sim tesseract-ocr-jpn tesseract-ocr-ara
)
# HTML and web pages → PDF and images: Chromium, driven over its DevTools pipe by browser hosts;
# handlebars.js merges templateData into HTML templates in the page.
RUNTIME_PACKAGES+=(chromium libjs-handlebars)
# Tests and reference clients: reference tools to compare against, and the client's Python deps.
TEST_PACKAGES=(mupdf-tools poppler-utils qpdf curl)
# PostgreSQL tests start their own throwaway cluster from these binaries (/usr/lib/postgresql/*/bin).
TEST_PACKAGES+=(postgresql)

# Benchmarks: the tools Quire is measured against (bench/*.py), besides the test tools.
BENCH_PACKAGES=(ghostscript zbar-tools tesseract-ocr ocrmypdf wkhtmltopdf weasyprint)

wanted=("${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}")
if [ "${1:-}" = "--test" ]; then wanted+=("${TEST_PACKAGES[@]}"); fi
if [ "${1:-}" = "--bench" ]; then wanted+=("${TEST_PACKAGES[@]}" "${BENCH_PACKAGES[@]}"); fi

# Tests: moto's S3 server (Tests/Scripts/s3_test_server.py patches moto internals, hence the pin),
# botocore, which S3SignerTests compares Quire's signer with, and the contract tools of
# scripts/contract.sh. From PyPI: bookworm has none of them.
PYTHON_TEST_PACKAGES=("moto[server]==5.2.1" botocore "schemathesis==4.32.5" "openapi-spec-validator==0.9.0")
if [ "${1:-}" = "--test" ] && ! python3 -c '
import moto, botocore, schemathesis, openapi_spec_validator
assert moto.__version__ == "5.2.1"' 2>/dev/null; then
  echo "bootstrap: pip installing ${PYTHON_TEST_PACKAGES[*]}"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    $([ "$(id -u)" -ne 0 ] && echo sudo) apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $([ "$(id -u)" -ne 0 ] && echo sudo) apt-get install -y -qq python3-pip >/dev/null
  fi
  python3 -m pip install --quiet "${PYTHON_TEST_PACKAGES[@]}" 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages "${PYTHON_TEST_PACKAGES[@]}"
fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

echo "bootstrap: installing ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
