// SPDX-License-Identifier: AGPL-3.0-or-later
// Tesseract 5's C API as it is: pages are handed over as 8-bit gray rows, so Leptonica's PIX
// is not needed. Tested with Tesseract 5.3.0 (docs/engines.md).
#include <tesseract/capi.h>
