// SPDX-License-Identifier: AGPL-3.0-or-later
// getParts/setPart (sheets) are declared only under LOK_USE_UNSTABLE_API in 7.4; they sit at the
// end of the function table, so the layout of the stable members does not change, and
// LIBREOFFICEKIT_DOCUMENT_HAS checks that the loaded library fills them.
#define LOK_USE_UNSTABLE_API
#include <stdbool.h> // LibreOfficeKit.h (7.4) uses bool without including it
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <LibreOfficeKit/LibreOfficeKitInit.h>
#include "clok.h"

// From LibreOfficeKitEnums.h, whose "unstable" part (where these live) is C++ only in 7.4.
enum {
    LOK_CALLBACK_DOCUMENT_PASSWORD = 20,
    LOK_CALLBACK_DOCUMENT_PASSWORD_TO_MODIFY = 21,
};
static const unsigned long long LOK_FEATURE_DOCUMENT_PASSWORD = 1ULL << 0;
static const unsigned long long LOK_FEATURE_DOCUMENT_PASSWORD_TO_MODIFY = 1ULL << 1;

struct clok_office {
    LibreOfficeKit *kit;
    // Password state of the conversion in progress (LibreOffice asks through a callback).
    const char *password;
    int password_requests;
};

static void copy_error(char *err, size_t errlen, const char *message) {
    if (err && errlen) snprintf(err, errlen, "%s", message ? message : "unknown error");
}

static void copy_kit_error(clok_office *office, char *err, size_t errlen, const char *fallback) {
    char *message = office->kit->pClass->getError(office->kit);
    copy_error(err, errlen, (message && *message) ? message : fallback);
    if (message) office->kit->pClass->freeError(message);
}

// Called by LibreOffice, on the loading thread, when a document asks for a password. Answering
// inside the callback is allowed: LibreOffice waits for setDocumentPassword, which has then happened.
static void on_kit_event(int type, const char *payload, void *data) {
    clok_office *office = data;
    if (type != LOK_CALLBACK_DOCUMENT_PASSWORD && type != LOK_CALLBACK_DOCUMENT_PASSWORD_TO_MODIFY) return;
    office->password_requests += 1;
    // Offer the given password once; a second request means it was wrong. NULL cancels the load.
    const char *answer = (office->password_requests == 1 && office->password && *office->password) ? office->password : NULL;
    office->kit->pClass->setDocumentPassword(office->kit, payload, answer);
}

clok_office *clok_init(const char *install_dir, const char *profile_url, char *err, size_t errlen) {
    LibreOfficeKit *kit = lok_init_2(install_dir, profile_url);
    if (!kit) {
        copy_error(err, errlen, "LibreOfficeKit did not start (is LibreOffice installed there?)");
        return NULL;
    }
    clok_office *office = calloc(1, sizeof *office);
    if (!office) {
        copy_error(err, errlen, "out of memory");
        return NULL;
    }
    office->kit = kit;
    kit->pClass->registerCallback(kit, on_kit_event, office);
    kit->pClass->setOptionalFeatures(kit, LOK_FEATURE_DOCUMENT_PASSWORD | LOK_FEATURE_DOCUMENT_PASSWORD_TO_MODIFY);
    return office;
}

// Loads `input_url`, answering a password request once with `password`. On failure returns a
// CLOK_ code and copies why into err.
static int load_document(clok_office *office, const char *input_url, const char *password, const char *load_options,
                         LibreOfficeKitDocument **out, char *err, size_t errlen) {
    office->password = password;
    office->password_requests = 0;
    LibreOfficeKitDocument *doc = office->kit->pClass->documentLoadWithOptions(office->kit, input_url, load_options);
    int requests = office->password_requests;
    office->password = NULL;
    *out = doc;
    if (doc) return CLOK_OK;
    if (requests > 0) {
        bool had_password = password && *password;
        copy_error(err, errlen, had_password ? "wrong password" : "password required");
        return had_password ? CLOK_WRONG_PASSWORD : CLOK_PASSWORD_REQUIRED;
    }
    copy_kit_error(office, err, errlen, "the document could not be loaded");
    return CLOK_FAILED;
}

int clok_convert(clok_office *office, const char *input_url, const char *output_url, const char *password,
                 const char *load_options, const char *filter_options, int refuse_text, char *err, size_t errlen) {
    LibreOfficeKitDocument *doc = NULL;
    int loaded = load_document(office, input_url, password, load_options, &doc, err, errlen);
    if (loaded != CLOK_OK) return loaded;
    // LOK_DOCTYPE_TEXT is 0 (LibreOfficeKitEnums.h declares it only with LOK_USE_UNSTABLE_API).
    if (refuse_text && doc->pClass->getDocumentType(doc) == 0) {
        copy_error(err, errlen, "opened only as plain text");
        doc->pClass->destroy(doc);
        return CLOK_PLAIN_TEXT;
    }
    int saved = doc->pClass->saveAs(doc, output_url, "pdf", filter_options);
    int result = CLOK_OK;
    if (!saved) {
        copy_kit_error(office, err, errlen, "the PDF export failed");
        result = CLOK_FAILED;
    }
    doc->pClass->destroy(doc);
    return result;
}

int clok_save_as(clok_office *office, const char *input_url, const char *output_url, const char *format, char *err,
                 size_t errlen) {
    LibreOfficeKitDocument *doc = NULL;
    int loaded = load_document(office, input_url, NULL, "Batch=true", &doc, err, errlen);
    if (loaded != CLOK_OK) return loaded;
    int result = CLOK_OK;
    if (!doc->pClass->saveAs(doc, output_url, format, NULL)) {
        copy_kit_error(office, err, errlen, "the export failed");
        result = CLOK_FAILED;
    }
    doc->pClass->destroy(doc);
    return result;
}

int clok_export_sheet(clok_office *office, const char *input_url, const char *output_url, const char *password,
                      const char *load_options, int sheet, int *sheet_count, char *err, size_t errlen) {
    *sheet_count = 0;
    LibreOfficeKitDocument *doc = NULL;
    int loaded = load_document(office, input_url, password, load_options, &doc, err, errlen);
    if (loaded != CLOK_OK) return loaded;
    int result = CLOK_OK;
    // LOK_DOCTYPE_SPREADSHEET is 1.
    if (doc->pClass->getDocumentType(doc) != 1 || !LIBREOFFICEKIT_DOCUMENT_HAS(doc, setPart)) {
        copy_error(err, errlen, "not a spreadsheet");
        result = CLOK_NOT_SPREADSHEET;
    } else {
        *sheet_count = doc->pClass->getParts(doc);
        if (sheet < 1 || sheet > *sheet_count) {
            copy_error(err, errlen, "no such sheet");
            result = CLOK_NO_SUCH_SHEET;
        } else {
            // The CSV filter writes the active sheet. Its own sheet-number option (token 12) cannot
            // be used here: LibreOfficeKit's saveAs drops empty tokens and puts a space after each
            // comma, which shifts and spoils later tokens, and with a sheet number the filter writes
            // to "<name>-<sheet name>.csv" instead of output_url. Three tokens survive intact:
            // comma (44), double quote (34), UTF-8 (76); the defaults write cells as shown.
            doc->pClass->setPart(doc, sheet - 1);
            if (!doc->pClass->saveAs(doc, output_url, "csv", "44,34,76")) {
                copy_kit_error(office, err, errlen, "the CSV export failed");
                result = CLOK_FAILED;
            }
        }
    }
    doc->pClass->destroy(doc);
    return result;
}

char *clok_version(clok_office *office) {
    if (!office->kit->pClass->getVersionInfo) return NULL;
    return office->kit->pClass->getVersionInfo(office->kit);
}

void clok_free(void *pointer) { free(pointer); }

void clok_exit(clok_office *office, int code) {
    if (office) office->kit->pClass->destroy(office->kit);
    fflush(NULL);
    _exit(code);
}
