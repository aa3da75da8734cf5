// SPDX-License-Identifier: AGPL-3.0-or-later
// What the MIME and .msg readers share: a message under construction and its limits.
#ifndef CMAIL_INTERNAL_H
#define CMAIL_INTERNAL_H

#include "cmail.h"

typedef struct {
    cmail_message *message;
    long long bytes_left;
    int parts_left;
    int too_large;
} cmail_builder;

/// Copies `data` into a new part, unless the budget is spent (then marks `too_large`).
void cmail_add_part(cmail_builder *builder, const char *file_name, const char *content_type, const char *content_id,
                    int is_inline, const unsigned char *data, size_t size);
/// Appends one address; lists stop growing past 10 000 entries.
void cmail_add_address(cmail_address_list *list, const char *name, const char *address);
char *cmail_strdup(const char *text);
void cmail_error(char *err, size_t errlen, const char *message);

int cmail_read_mime(const char *path, cmail_builder *builder, char *err, size_t errlen);
int cmail_read_msg(const char *path, cmail_builder *builder, char *err, size_t errlen);

#endif
