#!/usr/bin/env python3
"""Writes assets/favicon.ico from the drawing in assets/favicon.svg (a rounded blue square, two white
arrows), with no dependency beyond the standard library: browsers ask for /favicon.ico whatever the
page links, and an ICO of PNG images (16, 32 and 48 px) is what every browser accepts there.

Run from anywhere: python3 LlamaSwap.Gateway/Ui/make-favicon.py. The output is deterministic;
rerun it after changing the SVG and keep the two drawings in step.
"""
import math
import os
import struct
import zlib

# favicon.svg in its own 32x32 units: the square, and the arrows' stroke as polylines
# (path "M9 11h10l-3-3m7 13H13l3 3", stroke-width 2.6, round caps and joins).
BLUE = (0x2F, 0x6F, 0xDE)
WHITE = (0xFF, 0xFF, 0xFF)
CORNER = 7.0
STROKE = 2.6 / 2
ARROWS = [[(9, 11), (19, 11), (16, 8)], [(23, 21), (13, 21), (16, 24)]]
SAMPLES = 4  # per axis, per pixel: anti-aliasing


def inside_square(x, y):
    cx = min(max(x, CORNER), 32 - CORNER)
    cy = min(max(y, CORNER), 32 - CORNER)
    return 0 <= x <= 32 and 0 <= y <= 32 and (x - cx) ** 2 + (y - cy) ** 2 <= CORNER ** 2


def on_stroke(x, y):
    for line in ARROWS:
        for (ax, ay), (bx, by) in zip(line, line[1:]):
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            if math.hypot(x - ax - t * dx, y - ay - t * dy) <= STROKE:
                return True
    return False


def render(size):
    rows = []
    for py in range(size):
        row = bytearray([0])  # PNG filter type: none
        for px in range(size):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) * 32 / size
                    y = (py + (sy + 0.5) / SAMPLES) * 32 / size
                    if inside_square(x, y):
                        colour = WHITE if on_stroke(x, y) else BLUE
                        r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            n = SAMPLES * SAMPLES
            # Colour averaged over the covered samples (not premultiplied), coverage as alpha.
            row += bytes([r // a, g // a, b // a, 255 * a // n] if a else [0, 0, 0, 0])
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(images):
    directory = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, image in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset + len(data))
        data += image
    return directory + entries + data


if __name__ == "__main__":
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets", "favicon.ico")
    with open(target, "wb") as out:
        out.write(ico([(size, render(size)) for size in (16, 32, 48)]))
    print(f"wrote {target}")
