// SPDX-License-Identifier: AGPL-3.0-or-later
#include <gsf/gsf.h>
#include <string.h>

#include "cmail_fixtures.h"

static void write_stream(GsfOutfile *folder, const char *name, const unsigned char *data, size_t size) {
    GsfOutput *child = gsf_outfile_new_child(folder, name, FALSE);
    gsf_output_write(child, size, data);
    gsf_output_close(child);
    g_object_unref(child);
}

int cmail_fixture_write_ole(const char *path, int count, const char *const *names, const unsigned char *const *data,
                            const size_t *sizes) {
    gsf_init();
    GError *error = NULL;
    GsfOutput *sink = gsf_output_stdio_new(path, &error);
    if (!sink) {
        if (error) g_error_free(error);
        return 1;
    }
    GsfOutfile *root = gsf_outfile_msole_new(sink);
    g_object_unref(sink);
    GsfOutfile *storage = NULL;
    char storage_name[256] = "";
    for (int i = 0; i < count; i++) {
        const char *slash = strchr(names[i], '/');
        size_t length = slash ? (size_t)(slash - names[i]) : 0;
        if (storage && (!slash || length != strlen(storage_name) || strncmp(names[i], storage_name, length) != 0)) {
            gsf_output_close(GSF_OUTPUT(storage));
            g_object_unref(storage);
            storage = NULL;
        }
        if (slash && !storage) {
            if (length >= sizeof storage_name) length = sizeof storage_name - 1;
            memcpy(storage_name, names[i], length);
            storage_name[length] = 0;
            storage = GSF_OUTFILE(gsf_outfile_new_child(root, storage_name, TRUE));
        }
        write_stream(slash ? storage : root, slash ? slash + 1 : names[i], data[i], sizes[i]);
    }
    if (storage) {
        gsf_output_close(GSF_OUTPUT(storage));
        g_object_unref(storage);
    }
    gsf_output_close(GSF_OUTPUT(root));
    g_object_unref(root);
    return 0;
}
