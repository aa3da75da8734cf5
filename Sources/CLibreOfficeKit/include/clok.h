// SPDX-License-Identifier: AGPL-3.0-or-later
// A small C face for LibreOfficeKit (a struct of function pointers, loaded with dlopen) and for
// the sandbox of the engine and office hosts. Swift sees opaque handles and error buffers only.
#ifndef CLOK_H
#define CLOK_H

#include <stddef.h>

typedef struct clok_office clok_office;

/// Result codes of clok_convert.
enum {
    CLOK_OK = 0,
    CLOK_FAILED = 1,            // load or export failed; err says why
    CLOK_PASSWORD_REQUIRED = 2, // the document is encrypted and no password was given
    CLOK_WRONG_PASSWORD = 3,    // the given password does not open it
    CLOK_PLAIN_TEXT = 4,        // refused: LibreOffice read the file only as plain text (see clok_convert)
    CLOK_NO_SUCH_SHEET = 5,     // clok_export_sheet: the workbook has fewer sheets (its count is in *sheet_count)
    CLOK_NOT_SPREADSHEET = 6,   // clok_export_sheet: LibreOffice opened the file as another kind of document
};

/// Loads LibreOffice from `install_dir` (…/program) with the profile at `profile_url`
/// (file:///…). Once per process: LibreOffice cannot be restarted inside one process.
clok_office *clok_init(const char *install_dir, const char *profile_url, char *err, size_t errlen);

/// Loads `input_url` and saves it as PDF at `output_url`. `load_options` go to documentLoadWithOptions,
/// `filter_options` to saveAs (a JSON FilterData object, or NULL). `password` may be NULL. With
/// `refuse_text`, a file LibreOffice opens as a text document is not saved (CLOK_PLAIN_TEXT): for
/// input whose type LibreOffice had to find itself, that is its last resort, the bytes shown as text.
int clok_convert(clok_office *office, const char *input_url, const char *output_url, const char *password,
                 const char *load_options, const char *filter_options, int refuse_text, char *err, size_t errlen);

/// Loads the spreadsheet `input_url` and saves its sheet `sheet` (1-based) as UTF-8 CSV (comma,
/// double quotes, cells as shown) at `output_url`. `*sheet_count` receives the number of sheets
/// when the document loaded as a spreadsheet.
int clok_export_sheet(clok_office *office, const char *input_url, const char *output_url, const char *password,
                      const char *load_options, int sheet, int *sheet_count, char *err, size_t errlen);

/// Loads `input_url` (no password) and saves it at `output_url` in LibreOffice's `format` ("xls":
/// the Excel 97–2003 filter).
int clok_save_as(clok_office *office, const char *input_url, const char *output_url, const char *format, char *err,
                 size_t errlen);

/// LibreOffice's version JSON (malloc'd; free with clok_free), or NULL.
char *clok_version(clok_office *office);
void clok_free(void *pointer);

/// Shuts LibreOffice down and ends the process with `code`. A normal exit() crashes in
/// LibreOffice's static destructors, so this is the only way out.
void clok_exit(clok_office *office, int code) __attribute__((noreturn));

/// Outcome of the host sandbox (applied before main by sandbox.c, see there).
enum {
    CLOK_SANDBOX_APPLIED = 1,    // Landlock, no_new_privs and an own network namespace on every thread
    CLOK_SANDBOX_OFF = 0,        // turned off by QUIRE_ENGINE_SANDBOX=0 / QUIRE_OFFICE_SANDBOX=0
    CLOK_SANDBOX_FAILED = -1,    // not (fully) applied; detail says why
    CLOK_SANDBOX_NOT_A_HOST = -2, // this process is no engine or office host
};

/// The sandbox outcome of this process; copies what was applied, or why not, into `detail`.
int clok_sandbox_result(char *detail, size_t detaillen);

#endif
