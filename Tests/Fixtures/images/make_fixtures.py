#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Regenerates the image fixtures for images -> PDF tests (run by hand, needs Pillow):

    python3 Tests/Fixtures/images/make_fixtures.py

Each image is 64x48 (TIFF frame 2 is 48x64; rot6.jpg displays as 48x64). For every page the
PDF should show, `expected/<name>[-<frame>].ppm` holds the pixels as Pillow decodes them,
composited on white, turned as EXIF says: the tests render Quire's PDF at the image's pixel
size with `mutool draw` and compare.
"""
import os
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
W, H = 64, 48


def base():
    im = Image.new("RGB", (W, H))
    px = im.load()
    for y in range(H):
        for x in range(W):
            px[x, y] = ((x * 4) % 256, (y * 5) % 256, (x * y) % 256)
    return im


def expected(im, name):
    if im.mode == "I;16":
        im = im.point(lambda v: v / 256).convert("L")
    if im.mode == "CMYK":
        im = im.convert("RGB")
    white = Image.new("RGBA", im.size, (255, 255, 255, 255))
    Image.alpha_composite(white, im.convert("RGBA")).convert("RGB").save(os.path.join(HERE, "expected", name + ".ppm"))


def main():
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    rgb = base()
    out = lambda n: os.path.join(HERE, n)
    rgb.save(out("rgb.jpg"), quality=90, dpi=(150, 150))
    rgb.convert("L").save(out("gray.jpg"), quality=90)
    rgb.convert("CMYK").save(out("cmyk.jpg"), quality=90)
    exif = Image.Exif()
    exif[0x0112] = 6
    rgb.save(out("rot6.jpg"), quality=90, exif=exif.tobytes())
    rgb.save(out("rgb.png"))
    rgba = rgb.copy()
    rgba.putalpha(Image.linear_gradient("L").resize((W, H)))
    rgba.save(out("rgba.png"))
    pal = rgb.convert("P", palette=Image.ADAPTIVE, colors=16)
    pal.save(out("pal.png"))
    pal.save(out("paltrns.png"), transparency=3)
    rgb.convert("I;16").save(out("gray16.png"))
    rgb.convert("P", palette=Image.ADAPTIVE).save(out("anim.gif"))
    rgb.save(out("rgb.bmp"))
    frames = [rgb, rgb.rotate(90, expand=True), rgb.convert("L")]
    frames[0].save(out("multi.tiff"), save_all=True, append_images=frames[1:], compression="tiff_deflate")
    rgba.save(out("rgba.webp"), lossless=True)
    for name in ["rgb.jpg", "gray.jpg", "cmyk.jpg", "rgb.png", "rgba.png", "pal.png", "paltrns.png", "gray16.png",
                 "anim.gif", "rgb.bmp", "rgba.webp"]:
        expected(Image.open(out(name)), name)
    expected(Image.open(out("rot6.jpg")).transpose(Image.Transpose.ROTATE_270), "rot6.jpg")
    tiff = Image.open(out("multi.tiff"))
    for frame in range(3):
        tiff.seek(frame)
        expected(tiff.copy(), "multi.tiff-%d" % frame)
    with open(out("corrupt.png"), "wb") as f:
        f.write(open(out("rgb.png"), "rb").read()[:60])


if __name__ == "__main__":
    main()
