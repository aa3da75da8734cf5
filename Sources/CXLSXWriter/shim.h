// SPDX-License-Identifier: AGPL-3.0-or-later
// libxlsxwriter (Debian libxlsxwriter-dev): writes XLSX for /pdf/convert/to/xlsx.
#include <xlsxwriter.h>
