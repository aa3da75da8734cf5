// SPDX-License-Identifier: AGPL-3.0-or-later
// Writes the fuzzer's seed Outlook message (an OLE2 file with the MAPI streams CMail reads),
// with the OLE2 writer the tests use (Tests/CMailFixtures).
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmail_fixtures.h"

static size_t utf16(const char *text, unsigned char *out) {
    size_t n = 0;
    for (; *text; text++) {
        out[n++] = (unsigned char)*text;
        out[n++] = 0;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    unsigned char subject[64], name[64], address[64], body[64], recipient[64], file_name[64], properties[48] = {0},
                                                                                                 child_properties[24] = {0};
    // Top-level properties: 32-byte header, then PR_CLIENT_SUBMIT_TIME (0x00390040) = 2026-03-03.
    const unsigned char submit[16] = {0x40, 0x00, 0x39, 0x00, 6, 0, 0, 0, 0x00, 0x80, 0x3E, 0xD5, 0xDE, 0xAA, 0xDC, 0x01};
    memcpy(properties + 32, submit, 16);
    // Recipient: 8-byte header, then PR_RECIPIENT_TYPE (0x0C150003) = 2 (Cc).
    const unsigned char type[16] = {0x03, 0x00, 0x15, 0x0C, 6, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0};
    memcpy(child_properties + 8, type, 16);
    const char *pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    const char *names[] = {
        "__properties_version1.0", "__substg1.0_0037001F", "__substg1.0_0C1A001F", "__substg1.0_5D01001F",
        "__substg1.0_1000001F", "__substg1.0_10130102", "__recip_version1.0_#00000000/__properties_version1.0",
        "__recip_version1.0_#00000000/__substg1.0_3001001F", "__attach_version1.0_#00000000/__substg1.0_3707001F",
        "__attach_version1.0_#00000000/__substg1.0_37010102",
    };
    const char *html = "<html><body><p>Seed</p></body></html>";
    const unsigned char *data[] = {
        properties, subject, name, address, body, (const unsigned char *)html, child_properties, recipient, file_name,
        (const unsigned char *)pdf,
    };
    size_t sizes[] = {
        sizeof properties, utf16("Seed subject", subject), utf16("Seed Sender", name), utf16("seed@example.com", address),
        utf16("Seed body", body), strlen(html), sizeof child_properties, utf16("Carl Cole", recipient),
        utf16("seed.pdf", file_name), strlen(pdf),
    };
    return cmail_fixture_write_ole(argv[1], 10, names, data, sizes);
}
