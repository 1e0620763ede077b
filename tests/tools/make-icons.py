#!/usr/bin/env python3
"""Draws the extension icons (a gauge-like ring in SLDS brand blue) as PNGs, no dependencies."""
import math
import os
import struct
import zlib

BLUE = (1, 118, 211)
GREEN = (46, 132, 74)


def png(size):
    rows = []
    c = (size - 1) / 2
    outer, inner = size * 0.48, size * 0.30
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = math.hypot(x - c, y - c)
            angle = (math.degrees(math.atan2(y - c, x - c)) + 360 + 90) % 360
            if inner <= d <= outer:
                rgb = GREEN if angle < 250 else BLUE
                alpha = 255 if d <= outer - 0.5 else int(255 * (outer - d + 0.5))
                row += bytes(rgb) + bytes([max(0, min(255, alpha))])
            elif d < inner * 0.45:
                row += bytes(BLUE) + b"\xff"
            else:
                row += b"\x00\x00\x00\x00"
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)) + \
        chunk(b"IDAT", raw) + chunk(b"IEND", b"")


here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "icons")
for size in (16, 32, 48, 128):
    with open(os.path.join(here, f"icon-{size}.png"), "wb") as f:
        f.write(png(size))
