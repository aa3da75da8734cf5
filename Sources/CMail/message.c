// SPDX-License-Identifier: AGPL-3.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const unsigned char ole_signature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

char *cmail_strdup(const char *text) { return text ? strdup(text) : NULL; }

void cmail_error(char *err, size_t errlen, const char *message) {
    if (err && errlen) snprintf(err, errlen, "%s", message);
}

void cmail_add_address(cmail_address_list *list, const char *name, const char *address) {
    if (list->count >= 10000 || ((!name || !*name) && (!address || !*address))) return;
    cmail_address *items = realloc(list->items, sizeof(cmail_address) * (size_t)(list->count + 1));
    if (!items) return;
    list->items = items;
    items[list->count].name = (name && *name) ? strdup(name) : NULL;
    items[list->count].address = (address && *address) ? strdup(address) : NULL;
    list->count++;
}

void cmail_add_part(cmail_builder *builder, const char *file_name, const char *content_type, const char *content_id,
                    int is_inline, const unsigned char *data, size_t size) {
    if (builder->parts_left <= 0 || (long long)size > builder->bytes_left) {
        builder->too_large = 1;
        return;
    }
    cmail_message *message = builder->message;
    cmail_part *parts = realloc(message->parts, sizeof(cmail_part) * (size_t)(message->part_count + 1));
    if (!parts) {
        builder->too_large = 1;
        return;
    }
    message->parts = parts;
    cmail_part *part = &parts[message->part_count];
    part->data = malloc(size ? size : 1);
    if (!part->data) {
        builder->too_large = 1;
        return;
    }
    if (size) memcpy(part->data, data, size);
    part->size = size;
    part->file_name = (file_name && *file_name) ? strdup(file_name) : NULL;
    part->content_type = strdup(content_type && *content_type ? content_type : "application/octet-stream");
    part->content_id = (content_id && *content_id) ? strdup(content_id) : NULL;
    part->is_inline = is_inline;
    message->part_count++;
    builder->parts_left--;
    builder->bytes_left -= (long long)size;
}

int cmail_read(const char *path, long long max_bytes, int max_parts, cmail_message **out, char *err, size_t errlen) {
    *out = NULL;
    unsigned char head[8] = {0};
    FILE *file = fopen(path, "rb");
    if (!file) {
        cmail_error(err, errlen, "cannot open the file");
        return CMAIL_DAMAGED;
    }
    size_t got = fread(head, 1, sizeof head, file);
    fclose(file);

    cmail_builder builder = {calloc(1, sizeof(cmail_message)), max_bytes, max_parts, 0};
    if (!builder.message) return CMAIL_TOO_LARGE;
    builder.message->sent_at = -1;
    builder.message->received_at = -1;
    int status = (got == sizeof head && memcmp(head, ole_signature, sizeof head) == 0)
                     ? cmail_read_msg(path, &builder, err, errlen)
                     : cmail_read_mime(path, &builder, err, errlen);
    if (status == CMAIL_OK && builder.too_large) {
        cmail_error(err, errlen, "the message's parts are past the size or count limit");
        status = CMAIL_TOO_LARGE;
    }
    if (status != CMAIL_OK) {
        cmail_free(builder.message);
        return status;
    }
    *out = builder.message;
    return CMAIL_OK;
}

static void free_addresses(cmail_address_list *list) {
    for (int i = 0; i < list->count; i++) {
        free(list->items[i].name);
        free(list->items[i].address);
    }
    free(list->items);
}

void cmail_free(cmail_message *message) {
    if (!message) return;
    free(message->subject);
    free_addresses(&message->from);
    free_addresses(&message->to);
    free_addresses(&message->cc);
    free_addresses(&message->bcc);
    free_addresses(&message->reply_to);
    free(message->html);
    free(message->text);
    for (int i = 0; i < message->part_count; i++) {
        free(message->parts[i].file_name);
        free(message->parts[i].content_type);
        free(message->parts[i].content_id);
        free(message->parts[i].data);
    }
    free(message->parts);
    free(message);
}
