// SPDX-License-Identifier: AGPL-3.0-or-later
// Tesseract 5's C API as it is, and Leptonica (which Tesseract links anyway) for the page image
// handed to it: read from gray rows, deskewed. Tested with Tesseract 5.3.0 and Leptonica 1.82
// (docs/engines.md).
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>
