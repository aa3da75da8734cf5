#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Images → PDF: `quire convert images-to-pdf` beside `img2pdf` on the same files in the same run.

  bench/images.py [COUNT] [RUNS]      default 20 images of 2000x1500, 5 runs

Two sets: COUNT photo-like JPEGs (quality 90) and COUNT RGB PNGs made from them. Both tools are
timed as whole commands (process start included), median and min of RUNS; output sizes are
compared, and the JPEG check says whether every JPEG is embedded byte for byte.
Needs the release build (make release) and Pillow + img2pdf (pip install pillow img2pdf).
"""
import os, random, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUIRE = os.path.join(ROOT, ".build/release/quire")


def make_images(directory, count):
    from PIL import Image, ImageDraw, ImageFilter
    random.seed(7)
    jpegs, pngs = [], []
    for i in range(count):
        image = Image.new("RGB", (2000, 1500), (random.randrange(256), random.randrange(256), random.randrange(256)))
        draw = ImageDraw.Draw(image)
        for _ in range(120):
            x, y = random.randrange(2000), random.randrange(1500)
            draw.ellipse([x, y, x + random.randrange(40, 400), y + random.randrange(40, 300)],
                         fill=(random.randrange(256), random.randrange(256), random.randrange(256)))
        image = image.filter(ImageFilter.GaussianBlur(3))
        noise = Image.effect_noise((2000, 1500), 12).convert("RGB")
        image = Image.blend(image, noise, 0.08)
        jpeg = os.path.join(directory, f"photo{i:02}.jpg")
        png = os.path.join(directory, f"photo{i:02}.png")
        image.save(jpeg, quality=90)
        image.save(png)
        jpegs.append(jpeg)
        pngs.append(png)
    return jpegs, pngs


def timed(command, runs):
    subprocess.run(command, check=True, capture_output=True)  # warm-up (page cache)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as work:
        jpegs, pngs = make_images(work, count)
        print(f"| input | tool | median ms | min ms | output bytes | size vs img2pdf |")
        print(f"|---|---|---|---|---|---|")
        for label, files in [(f"{count} JPEGs 2000x1500 ({sum(map(os.path.getsize, jpegs)):,} B)", jpegs),
                             (f"{count} PNGs 2000x1500 ({sum(map(os.path.getsize, pngs)):,} B)", pngs)]:
            quire_out = os.path.join(work, "quire.pdf")
            ref_out = os.path.join(work, "img2pdf.pdf")
            q = timed([QUIRE, "convert", "images-to-pdf", *files, "-o", quire_out], runs)
            r = timed(["img2pdf", *files, "-o", ref_out], runs)
            qs, rs = os.path.getsize(quire_out), os.path.getsize(ref_out)
            print(f"| {label} | quire | {q[0]:.0f} | {q[1]:.0f} | {qs:,} | {qs / rs:.4f} |")
            print(f"| | img2pdf | {r[0]:.0f} | {r[1]:.0f} | {rs:,} | 1 |")
            print(f"| | ratio img2pdf/quire (median) | {r[0] / q[0]:.2f}× | | | |")
            if files is jpegs:
                pdf = open(quire_out, "rb").read()
                verbatim = all(open(f, "rb").read() in pdf for f in files)
                print(f"| | JPEG bytes embedded unchanged | {'yes' if verbatim else 'NO'} | | | |")


if __name__ == "__main__":
    main()
