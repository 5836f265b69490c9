#!/usr/bin/env python3
"""Draws the PNG app icons (192 and 512 px) matching icons/icon.svg, with the standard
library only, so no image tool is needed. Run once when the icon changes; the PNGs are
committed."""
import struct, sys, zlib, os

BLUE, GOLD, WHITE = (0x1f, 0x4e, 0x8c), (0xf2, 0xa9, 0x00), (0xff, 0xff, 0xff)

def pixel(x, y):  # coordinates in the 512 x 512 design space
    if ((x - 256) ** 2 + (y - 250) ** 2) <= 82 ** 2:
        return BLUE if (x - 286) ** 2 + (y - 232) ** 2 <= 12 ** 2 else WHITE
    if 330 <= x <= 372 and abs(y - 258) <= (372 - x) * 12 / 42 and x >= 330:
        return GOLD
    lower = 300 + 120 * (1 - ((x - 256) / 160) ** 2) * 0.5 if 96 <= x <= 416 else None
    upper = 360 + 90 * (1 - ((x - 256) / 140) ** 2) * 0.5 if 116 <= x <= 396 else None
    if lower is not None and y >= lower - 30 and (upper is None or y <= upper) and y <= 405:
        return GOLD
    return BLUE

def png(size):
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            row.extend(pixel((i + 0.5) * 512 / size, (j + 0.5) * 512 / size))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")

out = os.path.join(os.path.dirname(__file__), "..", "public", "icons")
for size in (192, 512):
    with open(os.path.join(out, f"icon-{size}.png"), "wb") as f:
        f.write(png(size))
