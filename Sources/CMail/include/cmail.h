// SPDX-License-Identifier: AGPL-3.0-or-later
// E-mail messages (.eml through GMime, Outlook .msg through libgsf) read into plain C structs
// that Swift copies: headers decoded to UTF-8, the HTML and text bodies, and every other part.
#ifndef CMAIL_H
#define CMAIL_H

#include <stddef.h>

typedef struct {
    char *name;     // display name, UTF-8; NULL when none
    char *address;  // e-mail address; NULL when none (an Exchange address in a .msg)
} cmail_address;

typedef struct {
    cmail_address *items;
    int count;
} cmail_address_list;

typedef struct {
    char *file_name;     // UTF-8; NULL when the part has none
    char *content_type;  // "image/png"; never NULL
    char *content_id;    // without angle brackets; NULL when none
    int is_inline;       // Content-Disposition inline, or a hidden .msg attachment
    unsigned char *data;
    size_t size;
} cmail_part;

typedef struct {
    char *subject;
    cmail_address_list from, to, cc, bcc, reply_to;
    long long sent_at;      // seconds since 1970, or -1 when the message has no date
    long long received_at;  // when the last server took it (Received header, .msg delivery time), or -1
    char *html;             // the HTML body, UTF-8; NULL when none
    char *text;             // the plain-text body, UTF-8; NULL when none
    cmail_part *parts;      // attachments and inline resources, in message order
    int part_count;
} cmail_message;

enum {
    CMAIL_OK = 0,
    CMAIL_DAMAGED = 1,   // not a message, or a broken one
    CMAIL_TOO_LARGE = 2, // parts past max_bytes or max_parts
};

/// Reads the message at `path`: an OLE2 file as Outlook .msg, anything else as MIME.
/// Decoded parts may add up to `max_bytes`, and number `max_parts`.
int cmail_read(const char *path, long long max_bytes, int max_parts, cmail_message **out, char *err, size_t errlen);
void cmail_free(cmail_message *message);

#endif
