#!/usr/bin/env python3
"""pngcheck.py PNG: "WxH COLOURS INKED%" of a screenshot -- how many
distinct colours it has and how much of it is not the background (its
most common colour).  Exit 1 when it is blank (one colour, or under 1%
inked).  Plain zlib: no imaging library needed."""
import struct, sys, zlib
from collections import Counter

def rows(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6), "8-bit RGB(A) only"
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, out = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(bytes(line))
        prev = line
    return w, h, bpp, out

w, h, bpp, lines = rows(sys.argv[1])
px = Counter(l[i:i + 3] for l in lines[::2] for i in range(0, len(l), bpp * 2))
total = sum(px.values())
inked = 100.0 * (total - px.most_common(1)[0][1]) / total
print("%dx%d %d colours %.1f%% inked" % (w, h, len(px), inked))
sys.exit(0 if len(px) > 1 and inked >= 1.0 else 1)
