// SPDX-License-Identifier: AGPL-3.0-or-later
// Where on a page a matrix code could be: the shim reads DataMatrix and Aztec again in a crop
// around each such place (zxing_shim.cpp says why).
#ifndef CZXING_INK_REGIONS_H
#define CZXING_INK_REGIONS_H

#include <cstddef>
#include <vector>

namespace czxing {

/// A rectangle of pixels; `right` and `bottom` are exclusive.
struct Region {
    int left, top, right, bottom;
};

/// The bounding boxes, each widened by a margin and clamped to the image, of the separate
/// patches of dark pixels (below 128) in an 8-bit gray image that are about square and larger
/// than a few millimetres at 300 dpi: text lines, rules and codes, never (almost) the whole image. At most
/// `limit` of them, largest first.
std::vector<Region> inkRegions(const unsigned char *gray, int width, int height, int stride, std::size_t limit);

}  // namespace czxing

#endif
