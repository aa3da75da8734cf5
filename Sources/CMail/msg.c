// SPDX-License-Identifier: AGPL-3.0-or-later
// Outlook .msg files ([MS-OXMSG]): an OLE2 compound file, read through libgsf, whose streams
// hold MAPI properties: `__substg1.0_IIIITTTT` for variable-size ones (IIII the property ID,
// TTTT its type), `__properties_version1.0` for fixed-size ones, one storage per recipient
// and per attachment.
#include <gsf/gsf.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum {
    TYPE_LONG = 0x0003,
    TYPE_BOOLEAN = 0x000B,
    TYPE_STRING8 = 0x001E,
    TYPE_UNICODE = 0x001F,
    TYPE_TIME = 0x0040,
    TYPE_BINARY = 0x0102,
};
enum {
    PR_SUBJECT = 0x0037,
    PR_CLIENT_SUBMIT_TIME = 0x0039,
    PR_SENDER_NAME = 0x0C1A,
    PR_SENDER_EMAIL = 0x0C1F,
    PR_RECIPIENT_TYPE = 0x0C15,
    PR_MESSAGE_DELIVERY_TIME = 0x0E06,
    PR_BODY = 0x1000,
    PR_HTML = 0x1013,
    PR_DISPLAY_NAME = 0x3001,
    PR_EMAIL_ADDRESS = 0x3003,
    PR_INTERNET_CPID = 0x3FDE,
    PR_ATTACH_DATA = 0x3701,
    PR_ATTACH_FILENAME = 0x3704,
    PR_ATTACH_LONG_FILENAME = 0x3707,
    PR_ATTACH_MIME_TAG = 0x370E,
    PR_ATTACH_CONTENT_ID = 0x3712,
    PR_SMTP_ADDRESS = 0x39FE,
    PR_SENDER_SMTP_ADDRESS = 0x5D01,
    PR_ATTACHMENT_HIDDEN = 0x7FFE,
};
/// Bytes before the first property entry of `__properties_version1.0`: the top-level message
/// has 32, recipients and attachments 8.
enum { TOP_HEADER = 32, CHILD_HEADER = 8, MAX_STREAM = 256 << 20 };

static pthread_once_t gsf_once = PTHREAD_ONCE_INIT;
static void gsf_start(void) { gsf_init(); }

/// The whole stream `name` of `dir`, NUL-terminated; NULL when it is not there.
static unsigned char *read_stream(GsfInfile *dir, const char *name, size_t *size) {
    GsfInput *input = gsf_infile_child_by_name(dir, name);
    if (!input) return NULL;
    gsf_off_t length = gsf_input_size(input);
    unsigned char *data = NULL;
    if (length >= 0 && length <= MAX_STREAM) {
        data = malloc((size_t)length + 2);
        if (data && (length == 0 || gsf_input_read(input, (size_t)length, data))) {
            data[length] = data[length + 1] = 0;
            *size = (size_t)length;
        } else {
            free(data);
            data = NULL;
        }
    }
    g_object_unref(input);
    return data;
}

static unsigned char *property_bytes(GsfInfile *dir, unsigned id, unsigned type, size_t *size) {
    char name[32];
    snprintf(name, sizeof name, "__substg1.0_%04X%04X", id, type);
    return read_stream(dir, name, size);
}

/// 8-bit text in `codepage` (Windows-1252 when unknown), as UTF-8.
static char *eight_bit_to_utf8(const unsigned char *data, size_t size, int codepage) {
    if (g_utf8_validate((const char *)data, (gssize)size, NULL)) return g_strndup((const char *)data, size);
    char charset[16];
    snprintf(charset, sizeof charset, "CP%d", codepage > 0 ? codepage : 1252);
    char *text = g_convert((const char *)data, (gssize)size, "UTF-8", charset, NULL, NULL, NULL);
    if (!text) text = g_convert((const char *)data, (gssize)size, "UTF-8", "CP1252", NULL, NULL, NULL);
    return text;
}

/// A string property (Unicode or 8-bit) as a malloc'd UTF-8 string; NULL when absent.
static char *property_string(GsfInfile *dir, unsigned id, int codepage) {
    size_t size = 0;
    unsigned char *data = property_bytes(dir, id, TYPE_UNICODE, &size);
    char *text = NULL;
    if (data) {
        gunichar2 *units = g_malloc(size + 2);
        memcpy(units, data, size);
        long count = (long)(size / 2);
        while (count > 0 && units[count - 1] == 0) count--;  // a trailing NUL is common
        text = g_utf16_to_utf8(units, count, NULL, NULL, NULL);
        g_free(units);
    } else if ((data = property_bytes(dir, id, TYPE_STRING8, &size))) {
        while (size > 0 && data[size - 1] == 0) size--;
        text = eight_bit_to_utf8(data, size, codepage);
    }
    free(data);
    char *copy = cmail_strdup(text);
    g_free(text);
    return copy;
}

/// The 8-byte value of the fixed-size property `id` of type `type`; 0 when absent.
static int fixed_property(GsfInfile *dir, int header, unsigned id, unsigned type, unsigned char value[8]) {
    size_t size = 0;
    unsigned char *data = read_stream(dir, "__properties_version1.0", &size);
    if (!data) return 0;
    uint32_t tag = (id << 16) | type;
    int found = 0;
    for (size_t at = (size_t)header; at + 16 <= size; at += 16) {
        uint32_t entry = (uint32_t)data[at] | (uint32_t)data[at + 1] << 8 | (uint32_t)data[at + 2] << 16 | (uint32_t)data[at + 3] << 24;
        if (entry == tag) {
            memcpy(value, data + at + 8, 8);
            found = 1;
            break;
        }
    }
    free(data);
    return found;
}

static long long fixed_long(GsfInfile *dir, int header, unsigned id, unsigned type, long long fallback) {
    unsigned char value[8];
    if (!fixed_property(dir, header, id, type, value)) return fallback;
    return (long long)(int32_t)((uint32_t)value[0] | (uint32_t)value[1] << 8 | (uint32_t)value[2] << 16 | (uint32_t)value[3] << 24);
}

/// A FILETIME property (100 ns since 1601) as seconds since 1970; -1 when absent.
static long long fixed_time(GsfInfile *dir, unsigned id) {
    unsigned char value[8];
    if (!fixed_property(dir, TOP_HEADER, id, TYPE_TIME, value)) return -1;
    uint64_t ticks = 0;
    for (int i = 7; i >= 0; i--) ticks = ticks << 8 | value[i];
    if (ticks == 0) return -1;
    return (long long)(ticks / 10000000ULL) - 11644473600LL;
}

/// An SMTP address: `smtp` when there is one, else `fallback` if it looks like one (an
/// Exchange address "/O=…" is not).
static char *smtp_address(char *smtp, char *fallback) {
    if (smtp) {
        free(fallback);
        return smtp;
    }
    if (fallback && strchr(fallback, '@')) return fallback;
    free(fallback);
    return NULL;
}

static void read_recipients(GsfInfile *root, cmail_message *message, int codepage) {
    for (int index = 0; index < 10000; index++) {
        char name[40];
        snprintf(name, sizeof name, "__recip_version1.0_#%08X", index);
        GsfInput *child = gsf_infile_child_by_name(root, name);
        if (!child) break;
        if (GSF_IS_INFILE(child)) {
            GsfInfile *recipient = GSF_INFILE(child);
            char *display = property_string(recipient, PR_DISPLAY_NAME, codepage);
            char *address = smtp_address(property_string(recipient, PR_SMTP_ADDRESS, codepage),
                                         property_string(recipient, PR_EMAIL_ADDRESS, codepage));
            long long type = fixed_long(recipient, CHILD_HEADER, PR_RECIPIENT_TYPE, TYPE_LONG, 1);
            cmail_address_list *list = type == 2 ? &message->cc : type == 3 ? &message->bcc : &message->to;
            cmail_add_address(list, display, address);
            free(display);
            free(address);
        }
        g_object_unref(child);
    }
}

static void read_attachments(GsfInfile *root, cmail_builder *builder, int codepage) {
    for (int index = 0; index < 10000 && !builder->too_large; index++) {
        char name[40];
        snprintf(name, sizeof name, "__attach_version1.0_#%08X", index);
        GsfInput *child = gsf_infile_child_by_name(root, name);
        if (!child) break;
        if (GSF_IS_INFILE(child)) {
            GsfInfile *attachment = GSF_INFILE(child);
            size_t size = 0;
            // Attached Outlook items (method 5) are storages, not bytes: left out.
            unsigned char *data = property_bytes(attachment, PR_ATTACH_DATA, TYPE_BINARY, &size);
            if (data) {
                char *file_name = property_string(attachment, PR_ATTACH_LONG_FILENAME, codepage);
                if (!file_name) file_name = property_string(attachment, PR_ATTACH_FILENAME, codepage);
                if (!file_name) file_name = property_string(attachment, PR_DISPLAY_NAME, codepage);
                char *mime_type = property_string(attachment, PR_ATTACH_MIME_TAG, codepage);
                char *content_id = property_string(attachment, PR_ATTACH_CONTENT_ID, codepage);
                int hidden = fixed_long(attachment, CHILD_HEADER, PR_ATTACHMENT_HIDDEN, TYPE_BOOLEAN, 0) != 0;
                cmail_add_part(builder, file_name, mime_type, content_id, hidden || content_id != NULL, data, size);
                free(file_name);
                free(mime_type);
                free(content_id);
                free(data);
            }
        }
        g_object_unref(child);
    }
}

/// PR_HTML is bytes in the message's Internet code page (often with its own <meta charset>).
static char *html_body(GsfInfile *root, int codepage) {
    size_t size = 0;
    unsigned char *data = property_bytes(root, PR_HTML, TYPE_BINARY, &size);
    if (!data) return property_string(root, PR_HTML, codepage);
    while (size > 0 && data[size - 1] == 0) size--;
    char *text = eight_bit_to_utf8(data, size, codepage == 65001 ? 0 : codepage);
    free(data);
    char *copy = cmail_strdup(text);
    g_free(text);
    return copy;
}

int cmail_read_msg(const char *path, cmail_builder *builder, char *err, size_t errlen) {
    pthread_once(&gsf_once, gsf_start);
    GError *error = NULL;
    GsfInput *input = gsf_input_stdio_new(path, &error);
    GsfInfile *root = input ? gsf_infile_msole_new(input, &error) : NULL;
    if (input) g_object_unref(input);
    if (error) g_error_free(error);
    GsfInput *properties = root ? gsf_infile_child_by_name(root, "__properties_version1.0") : NULL;
    if (!properties) {
        if (root) g_object_unref(root);
        cmail_error(err, errlen, "the file is an OLE2 document but not an Outlook message (.msg)");
        return CMAIL_DAMAGED;
    }
    g_object_unref(properties);

    cmail_message *message = builder->message;
    int codepage = (int)fixed_long(root, TOP_HEADER, PR_INTERNET_CPID, TYPE_LONG, 0);
    message->subject = property_string(root, PR_SUBJECT, codepage);
    char *sender = property_string(root, PR_SENDER_NAME, codepage);
    char *sender_address = smtp_address(property_string(root, PR_SENDER_SMTP_ADDRESS, codepage),
                                        property_string(root, PR_SENDER_EMAIL, codepage));
    cmail_add_address(&message->from, sender, sender_address);
    free(sender);
    free(sender_address);
    message->sent_at = fixed_time(root, PR_CLIENT_SUBMIT_TIME);
    message->received_at = fixed_time(root, PR_MESSAGE_DELIVERY_TIME);
    message->text = property_string(root, PR_BODY, codepage);
    message->html = html_body(root, codepage);
    read_recipients(root, message, codepage);
    read_attachments(root, builder, codepage);
    g_object_unref(root);
    return CMAIL_OK;
}
