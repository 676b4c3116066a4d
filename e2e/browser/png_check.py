#!/usr/bin/env python3
"""Says whether a PNG screenshot shows a drawn page rather than a blank or failed one.

    python3 e2e/browser/png_check.py SHOT.png [#rrggbb ...]

Decodes the PNG with the standard library only (8-bit RGB or RGBA, non-interlaced, as
Chromium writes them) and prints one JSON line: width, height, distinct colours, the share of
pixels that are not white, and for each colour asked for how many pixels have it. Exits 0 when
the image is non-trivial: at least 16 distinct colours, at least 2% non-white pixels, and
every colour asked for present; 1 otherwise; 2 when the file is not such a PNG.
"""
import json
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, color_type, _, _, interlace = header
    if depth != 8 or color_type not in (2, 6) or interlace != 0:
        raise ValueError("unsupported PNG: depth %d, colour type %d, interlace %d"
                         % (depth, color_type, interlace))
    channels = 3 if color_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        width, height, channels, rows = decode(sys.argv[1])
    except (OSError, ValueError, zlib.error, struct.error, TypeError) as e:
        print(json.dumps({"error": str(e)}))
        return 2
    wanted = {c.lower(): bytes.fromhex(c.lstrip("#")) for c in sys.argv[2:]}
    counts = {}
    white = 0
    for row in rows:
        for x in range(0, len(row), channels):
            pixel = row[x:x + 3]
            counts[pixel] = counts.get(pixel, 0) + 1
    white = counts.get(b"\xff\xff\xff", 0)
    total = width * height
    result = {
        "width": width,
        "height": height,
        "colors": len(counts),
        "nonWhiteShare": round(1 - white / total, 4) if total else 0,
        "wanted": {name: counts.get(rgb, 0) for name, rgb in wanted.items()},
    }
    print(json.dumps(result))
    ok = (result["colors"] >= 16 and result["nonWhiteShare"] >= 0.02
          and all(n > 0 for n in result["wanted"].values()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
