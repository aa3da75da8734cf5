// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ink_regions.h"

#include <algorithm>

namespace czxing {

std::vector<Region> inkRegions(const unsigned char *gray, int width, int height, int stride, std::size_t limit) {
    // Cells of about 2 mm at 300 dpi: every cell over a code holds a dark module, so a code is
    // one patch, and text a patch per line or paragraph; white of a cell or more parts patches.
    const int cell = std::max(4, std::min(width, height) / 128);
    const int cols = (width + cell - 1) / cell;
    const int rows = (height + cell - 1) / cell;
    std::vector<unsigned char> ink(static_cast<size_t>(cols) * rows, 0);
    for (int y = 0; y < height; y++) {
        const unsigned char *row = gray + static_cast<size_t>(y) * stride;
        unsigned char *cells = ink.data() + static_cast<size_t>(y / cell) * cols;
        for (int col = 0; col < cols; col++) {
            if (cells[col]) continue;
            const int end = std::min(width, (col + 1) * cell);
            for (int x = col * cell; x < end; x++)
                if (row[x] < 128) {
                    cells[col] = 1;
                    break;
                }
        }
    }
    std::vector<Region> found;
    std::vector<int> stack;
    for (int start = 0; start < cols * rows; start++) {
        if (ink[start] != 1) continue;
        // One patch (8-connected), marked 2 as it is walked.
        int left = cols, top = rows, right = -1, bottom = -1;
        ink[start] = 2;
        stack.push_back(start);
        while (!stack.empty()) {
            const int at = stack.back();
            stack.pop_back();
            const int cx = at % cols, cy = at / cols;
            left = std::min(left, cx), right = std::max(right, cx), top = std::min(top, cy), bottom = std::max(bottom, cy);
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    const int nx = cx + dx, ny = cy + dy;
                    if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
                    const int next = ny * cols + nx;
                    if (ink[next] != 1) continue;
                    ink[next] = 2;
                    stack.push_back(next);
                }
        }
        const int w = right - left + 1, h = bottom - top + 1;
        // Too small for a code's modules, or too long for a square or rectangular matrix code
        // (rectangular DataMatrix is at most about 1:3).
        if (w < 2 || h < 2 || w > 4 * h || h > 4 * w) continue;
        // A quarter of the patch on each side: the quiet zone and the corners the cells cut off.
        const int marginX = std::max(2, w / 4) * cell, marginY = std::max(2, h / 4) * cell;
        const Region region{
            std::max(0, left * cell - marginX), std::max(0, top * cell - marginY), std::min(width, (right + 1) * cell + marginX),
            std::min(height, (bottom + 1) * cell + marginY)};
        // A crop of almost the whole image is the image, read whole already.
        if ((region.right - region.left) * 10 > width * 9 && (region.bottom - region.top) * 10 > height * 9) continue;
        found.push_back(region);
    }
    std::sort(found.begin(), found.end(), [](const Region &a, const Region &b) {
        const long areaA = static_cast<long>(a.right - a.left) * (a.bottom - a.top);
        const long areaB = static_cast<long>(b.right - b.left) * (b.bottom - b.top);
        if (areaA != areaB) return areaA > areaB;
        return a.top != b.top ? a.top < b.top : a.left < b.left;
    });
    if (found.size() > limit) found.resize(limit);
    return found;
}

}  // namespace czxing
