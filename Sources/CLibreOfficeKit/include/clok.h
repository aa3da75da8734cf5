// SPDX-License-Identifier: AGPL-3.0-or-later
// A small C face for LibreOfficeKit (a struct of function pointers, loaded with dlopen) and for
// the Landlock sandbox of the office host. Swift sees opaque handles and error buffers only.
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

/// LibreOffice's version JSON (malloc'd; free with clok_free), or NULL.
char *clok_version(clok_office *office);
void clok_free(void *pointer);

/// Shuts LibreOffice down and ends the process with `code`. A normal exit() crashes in
/// LibreOffice's static destructors, so this is the only way out.
void clok_exit(clok_office *office, int code) __attribute__((noreturn));

/// Restricts this process, for good, to reading `read_paths` (and running what is under them) and to
/// reading and writing `write_paths` (NULL-terminated lists). Returns the Landlock ABI version
/// applied (>= 1), or 0 when the kernel has no Landlock (err says so), or -1 on failure.
int clok_sandbox(const char *const *read_paths, const char *const *write_paths, char *err, size_t errlen);

/// Moves this process into a new network namespace with no interfaces up: no connection to
/// anything, loopback included. Returns 0, or -1 (err says why).
int clok_isolate_network(char *err, size_t errlen);

#endif
