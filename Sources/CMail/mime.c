// SPDX-License-Identifier: AGPL-3.0-or-later
// MIME messages (.eml) through GMime: it decodes RFC 2047 headers, RFC 2231 file names,
// transfer encodings and charsets; this file only picks the bodies and copies the parts.
#include <fcntl.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;
static void gmime_start(void) { g_mime_init(); }

typedef struct {
    cmail_builder *builder;
    int depth_exceeded;
} walk_state;

static void add_addresses(cmail_address_list *list, InternetAddressList *addresses, int depth) {
    if (!addresses || depth > 4) return;
    int count = internet_address_list_length(addresses);
    for (int i = 0; i < count; i++) {
        InternetAddress *address = internet_address_list_get_address(addresses, i);
        if (INTERNET_ADDRESS_IS_GROUP(address)) {
            add_addresses(list, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), depth + 1);
        } else if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
            cmail_add_address(list, internet_address_get_name(address),
                              internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)));
        }
    }
}

/// The decoded bytes of a leaf part, or a nested message as written.
static GByteArray *object_bytes(GMimeObject *object, GMimeStream **stream) {
    *stream = g_mime_stream_mem_new();
    if (GMIME_IS_PART(object)) {
        GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(object));
        if (content) g_mime_data_wrapper_write_to_stream(content, *stream);
    } else {
        g_mime_object_write_to_stream(object, NULL, *stream);
    }
    return g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(*stream));
}

static void visit(GMimeObject *parent, GMimeObject *object, gpointer data) {
    (void)parent;
    walk_state *state = data;
    cmail_builder *builder = state->builder;
    if (GMIME_IS_MULTIPART(object)) return;  // its children are visited on their own

    GMimeContentType *type = g_mime_object_get_content_type(object);
    char *mime_type = type ? g_mime_content_type_get_mime_type(type) : g_strdup("application/octet-stream");
    GMimeContentDisposition *disposition = g_mime_object_get_content_disposition(object);
    int is_attachment = disposition && g_mime_content_disposition_is_attachment(disposition);
    const char *file_name = GMIME_IS_PART(object) ? g_mime_part_get_filename(GMIME_PART(object)) : NULL;

    if (GMIME_IS_TEXT_PART(object) && !is_attachment && !file_name) {
        cmail_message *message = builder->message;
        int is_html = g_ascii_strcasecmp(mime_type, "text/html") == 0;
        int is_plain = g_ascii_strcasecmp(mime_type, "text/plain") == 0;
        if ((is_html && !message->html) || (is_plain && !message->text)) {
            char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
            if (text && (long long)strlen(text) <= builder->bytes_left) {
                builder->bytes_left -= (long long)strlen(text);
                if (is_html) message->html = strdup(text);
                else message->text = strdup(text);
            } else if (text) {
                builder->too_large = 1;
            }
            g_free(text);
            g_free(mime_type);
            return;
        }
    }

    GMimeStream *stream = NULL;
    GByteArray *bytes = object_bytes(object, &stream);
    const char *name = file_name;
    if (!name && GMIME_IS_MESSAGE_PART(object)) name = "message.eml";
    int is_inline = disposition ? !is_attachment : (g_mime_object_get_content_id(object) != NULL);
    cmail_add_part(builder, name, mime_type, g_mime_object_get_content_id(object), is_inline, bytes ? bytes->data : NULL,
                   bytes ? bytes->len : 0);
    g_object_unref(stream);
    g_free(mime_type);
}

/// A file is taken as a message only when it has one of the headers every mail has: GMime
/// itself takes any text (or a PDF) as a message with a body and no headers.
static int looks_like_mail(GMimeMessage *message) {
    static const char *known[] = {"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Received", "Cc", "Sender"};
    GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (g_mime_header_list_contains(headers, known[i])) return 1;
    }
    return 0;
}

int cmail_read_mime(const char *path, cmail_builder *builder, char *err, size_t errlen) {
    pthread_once(&gmime_once, gmime_start);
    GError *error = NULL;
    GMimeStream *stream = g_mime_stream_fs_open(path, O_RDONLY, 0, &error);
    if (!stream) {
        if (error) g_error_free(error);
        cmail_error(err, errlen, "cannot open the file");
        return CMAIL_DAMAGED;
    }
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!message || !looks_like_mail(message)) {
        if (message) g_object_unref(message);
        cmail_error(err, errlen, "the file is not an e-mail message (.eml or .msg)");
        return CMAIL_DAMAGED;
    }

    cmail_message *out = builder->message;
    out->subject = cmail_strdup(g_mime_message_get_subject(message));
    add_addresses(&out->from, g_mime_message_get_from(message), 0);
    add_addresses(&out->to, g_mime_message_get_to(message), 0);
    add_addresses(&out->cc, g_mime_message_get_cc(message), 0);
    add_addresses(&out->bcc, g_mime_message_get_bcc(message), 0);
    add_addresses(&out->reply_to, g_mime_message_get_reply_to(message), 0);
    GDateTime *date = g_mime_message_get_date(message);
    if (date) out->sent_at = g_date_time_to_unix(date);

    // The topmost Received header is the last hop: its date follows the last ';'.
    const char *received = g_mime_object_get_header(GMIME_OBJECT(message), "Received");
    const char *stamp = received ? strrchr(received, ';') : NULL;
    GDateTime *received_date = stamp ? g_mime_utils_header_decode_date(stamp + 1) : NULL;
    if (received_date) {
        out->received_at = g_date_time_to_unix(received_date);
        g_date_time_unref(received_date);
    }

    walk_state state = {builder, 0};
    g_mime_message_foreach(message, visit, &state);
    g_object_unref(message);
    return CMAIL_OK;
}
