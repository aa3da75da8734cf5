// SPDX-License-Identifier: AGPL-3.0-or-later
// C functions over zxing-cpp 1.4's C++ reader. Every exception stops here: one crossing into
// Swift would end the engine host.
#define ZX_USE_UTF8 1
#include "czxing.h"
#include "ink_regions.h"

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

namespace {

/// The bounding box (x0, y0, x1, y1) of a symbol's corners.
std::array<int, 4> bounds(const ZXing::Position &p) {
    int x0 = p[0].x, y0 = p[0].y, x1 = p[0].x, y1 = p[0].y;
    for (int corner = 1; corner < 4; corner++) {
        x0 = std::min(x0, p[corner].x), y0 = std::min(y0, p[corner].y);
        x1 = std::max(x1, p[corner].x), y1 = std::max(y1, p[corner].y);
    }
    return {x0, y0, x1, y1};
}

/// Whether `result` is a symbol already in `results`: same format and bytes, overlapping boxes.
bool isKnown(const ZXing::Results &results, const ZXing::Result &result) {
    const auto mine = bounds(result.position());
    for (const auto &other : results) {
        if (!other.isValid() || other.format() != result.format() || other.bytes() != result.bytes()) continue;
        const auto theirs = bounds(other.position());
        if (mine[0] <= theirs[2] && theirs[0] <= mine[2] && mine[1] <= theirs[3] && theirs[1] <= mine[3]) return true;
    }
    return false;
}

/// DataMatrix and Aztec symbols away from the image's centre, read in crops around ink patches.
///
/// zxing-cpp 1.4 looks for these two only from the centre of the image: the DataMatrix detector
/// walks the lines through the centre (DMDetector.cpp, DetectNew) and reports one symbol per
/// image, and the Aztec detector grows a white rectangle from the centre. A code in a page's
/// corner was never found. zxing-cpp 2.x scans the whole image; this can go when Debian ships it.
void readAroundInk(
    const ZXing::ImageView &image, const unsigned char *gray, int width, int height, int stride, ZXing::DecodeHints hints,
    int formats, size_t limit, ZXing::Results &results) {
    hints.setFormats(static_cast<ZXing::BarcodeFormat>(formats));
    hints.setMaxNumberOfSymbols(1);
    // A text page has one patch per line or paragraph; 64 bounds the work on a hostile one.
    for (const auto &region : czxing::inkRegions(gray, width, height, stride, 64)) {
        if (results.size() >= limit) return;
        const int w = region.right - region.left, h = region.bottom - region.top;
        for (auto &result : ZXing::ReadBarcodes(image.cropped(region.left, region.top, w, h), hints)) {
            if (!result.isValid()) continue;
            ZXing::Position position = result.position();
            for (int corner = 0; corner < 4; corner++)
                position[corner] = ZXing::PointI(position[corner].x + region.left, position[corner].y + region.top);
            result.setPosition(position);
            if (isKnown(results, result)) continue;
            results.push_back(std::move(result));
        }
    }
}

/// Paints white the bars of the linear code read at `position`: the rows it was read on, and
/// the rows above and below whose dark and light match them (the bars' height), a little wider.
void whiteOut(std::vector<uint8_t> &pixels, int width, int height, const ZXing::Position &position) {
    auto box = bounds(position);
    const int x0 = std::clamp(box[0], 0, width - 1), x1 = std::clamp(box[2], 0, width - 1);
    const int y0 = std::clamp(box[1], 0, height - 1), y1 = std::clamp(box[3], 0, height - 1);
    const int row = (y0 + y1) / 2, span = x1 - x0 + 1;
    const auto at = [&](int x, int y) { return pixels[static_cast<size_t>(y) * width + x]; };
    int low = 255, high = 0;
    for (int x = x0; x <= x1; x++) low = std::min<int>(low, at(x, row)), high = std::max<int>(high, at(x, row));
    const int threshold = (low + high) / 2;
    std::vector<bool> reference(span);
    for (int x = x0; x <= x1; x++) reference[x - x0] = at(x, row) < threshold;
    const auto sameBars = [&](int y) {
        int differ = 0;
        for (int x = x0; x <= x1; x++) differ += (at(x, y) < threshold) != reference[x - x0];
        return differ * 5 < span;
    };
    int top = y0, bottom = y1;
    while (top > 0 && sameBars(top - 1)) top--;
    while (bottom < height - 1 && sameBars(bottom + 1)) bottom++;
    const int pad = span / 20 + 2;
    for (int y = std::max(0, top - 2); y <= std::min(height - 1, bottom + 2); y++)
        std::fill_n(pixels.begin() + static_cast<long>(y) * width + std::max(0, x0 - pad), std::min(width - 1, x1 + pad) - std::max(0, x0 - pad) + 1,
                    uint8_t{255});
}

/// Linear codes one at a time (one per call keeps zxing-cpp 1.4 from merging rows, see below),
/// each painted out of a copy of the image before the next read; at most `limit`. `pixels`
/// is a copy already (the turned image) or empty (one is made when a second read is needed).
void readLinear(
    const unsigned char *gray, int width, int height, int stride, std::vector<uint8_t> &pixels, const ZXing::DecodeHints &one,
    size_t limit, ZXing::Results &found) {
    ZXing::ImageView view = pixels.empty() ? ZXing::ImageView(gray, width, height, ZXing::ImageFormat::Lum, stride, 1)
                                           : ZXing::ImageView(pixels.data(), width, height, ZXing::ImageFormat::Lum);
    for (size_t round = 0; round < limit; round++) {
        auto results = ZXing::ReadBarcodes(view, one);
        if (results.empty() || !results.front().isValid()) return;
        auto &result = results.front();
        // Found again where it was painted out (a tilted code's bars reach past the box): stop.
        const auto box = bounds(result.position());
        for (const auto &other : found) {
            const auto seen = bounds(other.position());
            if (other.format() == result.format() && other.bytes() == result.bytes() && box[0] <= seen[2] && seen[0] <= box[2]) return;
        }
        if (pixels.empty()) {
            pixels.resize(static_cast<size_t>(width) * height);
            for (int y = 0; y < height; y++)
                std::memcpy(pixels.data() + static_cast<size_t>(y) * width, gray + static_cast<size_t>(y) * stride, width);
            view = ZXing::ImageView(pixels.data(), width, height, ZXing::ImageFormat::Lum);
        }
        whiteOut(pixels, width, height, result.position());
        found.push_back(std::move(result));
    }
}

/// `gray` enlarged twice, bicubic (Catmull-Rom, as Pillow's BICUBIC), for small soft images
/// whose modules are a few pixels: bilinear enlarging reads fewer of them (bench/barcodes.py).
std::vector<uint8_t> enlarged(const unsigned char *gray, int width, int height, int stride) {
    // At twice the size every output pixel sits a quarter or three quarters past a source pixel.
    const auto cubic = [](float d) {
        d = std::fabs(d);
        return d <= 1 ? 1.5f * d * d * d - 2.5f * d * d + 1 : d < 2 ? -0.5f * d * d * d + 2.5f * d * d - 4 * d + 2 : 0.0f;
    };
    float weights[2][4];
    for (int phase = 0; phase < 2; phase++) {
        const float f = phase == 0 ? 0.75f : 0.25f;
        for (int tap = 0; tap < 4; tap++) weights[phase][tap] = cubic(f - (tap - 1));
    }
    // Output x reads source columns floor(sx) - 1 … floor(sx) + 2, sx = x / 2 - 0.25.
    const auto first = [](int x) { return x % 2 == 0 ? x / 2 - 1 : x / 2; };
    const int w = width * 2, h = height * 2;
    std::vector<float> rows(static_cast<size_t>(w) * height);
    for (int y = 0; y < height; y++) {
        const unsigned char *row = gray + static_cast<size_t>(y) * stride;
        for (int x = 0; x < w; x++) {
            const int base = first(x) - 1;
            float sum = 0;
            for (int tap = 0; tap < 4; tap++) sum += weights[x % 2][tap] * row[std::clamp(base + tap, 0, width - 1)];
            rows[static_cast<size_t>(y) * w + x] = sum;
        }
    }
    std::vector<uint8_t> out(static_cast<size_t>(w) * h);
    for (int y = 0; y < h; y++) {
        const int base = first(y) - 1;
        for (int x = 0; x < w; x++) {
            float sum = 0;
            for (int tap = 0; tap < 4; tap++) sum += weights[y % 2][tap] * rows[static_cast<size_t>(std::clamp(base + tap, 0, height - 1)) * w + x];
            out[static_cast<size_t>(y) * w + x] = static_cast<uint8_t>(std::clamp(sum + 0.5f, 0.0f, 255.0f));
        }
    }
    return out;
}

}  // namespace

extern "C" int czxing_read(
    const unsigned char *gray, int width, int height, int stride, int formats, int try_harder, int max_symbols,
    czxing_symbol **out, int *count, char *err, size_t errlen) {
    *out = nullptr;
    *count = 0;
    if (!gray || width <= 0 || height <= 0 || stride < width || max_symbols < 0) {
        std::snprintf(err, errlen, "bad image buffer");
        return CZXING_ERR_ARGUMENT;
    }
    try {
        ZXing::DecodeHints hints;
        hints.setTryHarder(try_harder != 0);
        hints.setTryDownscale(try_harder != 0);
        hints.setTryRotate(false);
        // zxing-cpp reads 0 as "stop before the first symbol", not as "no limit".
        uint8_t limit = static_cast<uint8_t>(max_symbols == 0 || max_symbols > 255 ? 255 : max_symbols);
        hints.setMaxNumberOfSymbols(limit);
        int all = formats == 0 ? static_cast<int>(ZXing::BarcodeFormat::Any) : formats;
        int linear = all & static_cast<int>(ZXing::BarcodeFormat::LinearCodes);
        int matrix = all & ~linear;
        ZXing::ImageView image(gray, width, height, ZXing::ImageFormat::Lum, stride, 1);
        ZXing::Results results;
        if (matrix != 0) {
            hints.setFormats(static_cast<ZXing::BarcodeFormat>(matrix));
            results = ZXing::ReadBarcodes(image, hints);
            const int centred = matrix & (static_cast<int>(ZXing::BarcodeFormat::DataMatrix) | static_cast<int>(ZXing::BarcodeFormat::Aztec));
            if (centred != 0) readAroundInk(image, gray, width, height, stride, hints, centred, limit, results);
        }
        if (linear != 0 && results.size() < limit) {
            // Debian's libzxing2 1.4.0 is built with assertions on, and the linear reader aborts
            // the process in Result::operator== (`lineCount() == 1`) when it merges the rows of
            // one code found again after several others (tryRotate, or several codes on a
            // page). Asked for one code at a time it never merges: linear codes are read one
            // by one, each painted out before the next read, the page upright and turned 90° here.
            ZXing::DecodeHints one = hints;
            one.setFormats(static_cast<ZXing::BarcodeFormat>(linear));
            one.setMaxNumberOfSymbols(1);
            // 32 per orientation bounds the reads (one more than codes found) on a hostile page.
            std::vector<uint8_t> upright;
            ZXing::Results straight;
            readLinear(gray, width, height, stride, upright, one, std::min<size_t>(limit - results.size(), 32), straight);
            for (auto &result : straight) results.push_back(std::move(result));
            if (try_harder && results.size() < limit) {
                // The image turned 90° clockwise: a point (x', y') of the copy is (y', height - 1 - x') here.
                std::vector<uint8_t> turned(static_cast<size_t>(width) * static_cast<size_t>(height));
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                        turned[static_cast<size_t>(x) * height + (height - 1 - y)] = gray[static_cast<size_t>(y) * stride + x];
                upright.clear();
                upright.shrink_to_fit();
                ZXing::Results across;
                readLinear(turned.data(), height, width, height, turned, one, std::min<size_t>(limit - results.size(), 32), across);
                for (auto &result : across) {
                    if (!result.isValid()) continue;
                    bool known = false;
                    for (const auto &other : results)
                        known = known || (other.isValid() && other.format() == result.format() && other.bytes() == result.bytes());
                    if (known) continue;
                    ZXing::Position position = result.position();
                    for (int corner = 0; corner < 4; corner++) {
                        auto point = position[corner];
                        position[corner] = ZXing::PointI(point.y, height - 1 - point.x);
                    }
                    result.setPosition(position);
                    results.push_back(std::move(result));
                }
            }
        }
        // A photo's matrix code of 2-3 pixels per module, blurred, often reads only enlarged
        // (bench/barcodes.py); an image of at most 2 MP in which nothing was found is read again
        // for matrix codes at twice its size, positions halved.
        if (matrix != 0 && try_harder && results.empty() && static_cast<long>(width) * height <= 2'000'000) {
            hints.setFormats(static_cast<ZXing::BarcodeFormat>(matrix));
            const auto larger = enlarged(gray, width, height, stride);
            const ZXing::ImageView view(larger.data(), width * 2, height * 2, ZXing::ImageFormat::Lum);
            ZXing::Results again = ZXing::ReadBarcodes(view, hints);
            const int centred = matrix & (static_cast<int>(ZXing::BarcodeFormat::DataMatrix) | static_cast<int>(ZXing::BarcodeFormat::Aztec));
            if (centred != 0) readAroundInk(view, larger.data(), width * 2, height * 2, width * 2, hints, centred, limit, again);
            for (auto &result : again) {
                if (!result.isValid()) continue;
                ZXing::Position position = result.position();
                for (int corner = 0; corner < 4; corner++)
                    position[corner] = ZXing::PointI(position[corner].x / 2, position[corner].y / 2);
                result.setPosition(position);
                results.push_back(std::move(result));
            }
        }
        if (results.size() > limit) results.erase(results.begin() + limit, results.end());
        int valid = 0;
        for (const auto &result : results) valid += result.isValid() ? 1 : 0;
        if (valid == 0) return CZXING_OK;
        auto *symbols = static_cast<czxing_symbol *>(std::calloc(static_cast<size_t>(valid), sizeof(czxing_symbol)));
        if (!symbols) throw std::bad_alloc();
        int index = 0;
        for (const auto &result : results) {
            if (!result.isValid()) continue;
            czxing_symbol &symbol = symbols[index++];
            symbol.format = static_cast<int>(result.format());
            std::string text = result.text();
            symbol.text = strdup(text.c_str());
            const auto &bytes = result.bytes();
            symbol.bytes_length = bytes.size();
            symbol.bytes = static_cast<unsigned char *>(std::malloc(bytes.size() + 1));
            if (symbol.bytes && !bytes.empty()) std::memcpy(symbol.bytes, bytes.data(), bytes.size());
            const auto &position = result.position();
            for (int corner = 0; corner < 4; corner++) {
                symbol.x[corner] = position[corner].x;
                symbol.y[corner] = position[corner].y;
            }
            symbol.orientation = result.orientation();
            if (!symbol.text || !symbol.bytes) {
                czxing_free(symbols, index);
                throw std::bad_alloc();
            }
        }
        *out = symbols;
        *count = index;
        return CZXING_OK;
    } catch (const std::exception &error) {
        std::snprintf(err, errlen, "%s", error.what());
        return CZXING_ERR_ENGINE;
    } catch (...) {
        std::snprintf(err, errlen, "unknown error");
        return CZXING_ERR_ENGINE;
    }
}

extern "C" void czxing_free(czxing_symbol *symbols, int count) {
    if (!symbols) return;
    for (int index = 0; index < count; index++) {
        std::free(symbols[index].text);
        std::free(symbols[index].bytes);
    }
    std::free(symbols);
}
