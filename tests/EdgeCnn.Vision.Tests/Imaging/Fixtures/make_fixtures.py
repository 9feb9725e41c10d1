#!/usr/bin/python3
"""Generates the PNG/PNM decoder fixtures and their expected pixels.

Two independent sources of truth:
  * files written by a small PNG encoder below (every colour type, bit depth, filter type, Adam7, split IDAT): expected
    pixels come from the source sample arrays, and every file is also decoded by PIL and checked against them where PIL
    returns the same thing (8-bit samples, 1/2/4-bit grey, raw 16-bit grey);
  * files written by PIL's own encoder (its adaptive filters), expected pixels decoded by PIL.
Expected pixels are raw bytes [H, W, C] (C = 1 grey or 3 RGB) in <name>.expected; manifest.json lists width, height, channels.
Also writes shared_images.json: SHA-256 of PIL's pixels of ../shared/images/*.png when that folder exists.

Run: /usr/bin/python3 make_fixtures.py  (Pillow 9.4, numpy)
"""
import hashlib
import io
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
manifest = []


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """samples: 1-D ints of one row -> bytes at the bit depth, MSB first, 16-bit big-endian."""
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    if depth == 8:
        return bytes(int(v) for v in samples)
    out, acc, n = bytearray(), 0, 0
    for v in samples:
        acc = (acc << depth) | int(v)
        n += depth
        if n == 8:
            out.append(acc)
            acc, n = 0, 0
    if n:
        out.append(acc << (8 - n))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def apply_filter(ftype, row, prev, bpp):
    out = bytearray(len(row))
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][ftype]
        out[i] = (row[i] - pred) & 0xFF
    return bytes([ftype]) + bytes(out)


def encode_png(samples, depth, ctype, interlace=False, filters=(0,), palette=None, idat_parts=1, extra_chunks=()):
    """samples: [H, W, S] ints. filters: filter types cycled over the rows of every pass."""
    h, w, s = samples.shape
    bits = s * depth
    bpp = max(1, bits // 8)
    raw = bytearray()
    row_no = 0
    for (x0, y0, dx, dy) in (ADAM7 if interlace else [(0, 0, 1, 1)]):
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        prev = bytes((sub.shape[1] * bits + 7) // 8)
        for y in range(sub.shape[0]):
            row = pack_row(sub[y].reshape(-1), depth)
            raw += apply_filter(filters[row_no % len(filters)], row, prev, bpp)
            prev = row
            row_no += 1
    comp = zlib.compress(bytes(raw), 9)
    parts = [comp[i * len(comp) // idat_parts:(i + 1) * len(comp) // idat_parts] for i in range(idat_parts)]
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 1 if interlace else 0))
    for kind, data in extra_chunks:
        out += chunk(kind, data)
    if palette is not None:
        out += chunk(b"PLTE", bytes(palette.reshape(-1).astype(np.uint8)))
    for p in parts:
        out += chunk(b"IDAT", p)
    return out + chunk(b"IEND", b"")


def to8(v, depth):
    """The documented reduction to 8 bits, computed exactly with integers: round(v * 255 / (2^depth - 1))."""
    m = (1 << depth) - 1
    return (v.astype(np.int64) * 255 * 2 + m) // (2 * m)


def expected_of(samples, depth, ctype, palette):
    if ctype == 3:
        return palette[samples[:, :, 0]].astype(np.uint8)
    colour = samples[:, :, :1] if ctype in (0, 4) else samples[:, :, :3]
    return to8(colour, depth).astype(np.uint8)


def save(name, data, expected):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    with open(os.path.join(HERE, name + ".expected"), "wb") as f:
        f.write(np.ascontiguousarray(expected, dtype=np.uint8).tobytes())
    h, w, c = expected.shape
    manifest.append({"file": name, "width": w, "height": h, "channels": c})


def check_with_pil(data, samples, depth, ctype, palette, expected):
    im = Image.open(io.BytesIO(data))
    im.load()
    if ctype == 3:
        got = np.asarray(im.convert("RGB"))
        assert (got == expected).all(), "PIL disagrees (palette)"
    elif depth == 16 and ctype == 0:
        got = np.asarray(im).astype(np.int64)
        assert (got == samples[:, :, 0]).all(), "PIL disagrees (16-bit grey raw values)"
    elif depth == 16:
        got = np.asarray(im).astype(np.int64)  # PIL keeps the high byte of 16-bit colour samples (LA becomes RGBA)
        assert (got[:, :, 0] == samples[:, :, 0] >> 8).all(), "PIL disagrees (16-bit colour high bytes)"
    else:
        got = np.asarray(im.convert("L" if ctype in (0, 4) else "RGB"))
        if ctype == 0 and depth == 1:
            got = np.asarray(im).astype(np.uint8) * 255
        assert (got.reshape(expected.shape) == expected).all(), f"PIL disagrees (type {ctype} depth {depth})"


def own_encoder_cases():
    rng = np.random.default_rng(20261121)
    combos = [(0, d) for d in (1, 2, 4, 8, 16)] + [(2, 8), (2, 16), (4, 8), (4, 16), (6, 8), (6, 16)] + [(3, d) for d in (1, 2, 4, 8)]
    for ctype, depth in combos:
        for interlace in (False, True):
            # Odd sizes: partial bytes at row ends and Adam7 passes of uneven sizes (and empty ones for the 1-wide case).
            for (w, h) in ((13, 11),) if not interlace else ((13, 11), (1, 5), (3, 1)):
                s = SAMPLES[ctype]
                top = (1 << depth) - 1
                palette = None
                if ctype == 3:
                    entries = min(1 << depth, 200)
                    palette = rng.integers(0, 256, size=(entries, 3), dtype=np.int64)
                    top = entries - 1
                samples = rng.integers(0, top + 1, size=(h, w, s), dtype=np.int64)
                if w > 1:
                    samples[0, 0] = top  # extremes present
                    samples[0, 1] = 0
                data = encode_png(samples, depth, ctype, interlace, filters=(0, 1, 2, 3, 4), palette=palette,
                                  idat_parts=3 if interlace else 1)
                expected = expected_of(samples, depth, ctype, palette)
                check_with_pil(data, samples, depth, ctype, palette, expected)
                save(f"own_t{ctype}_d{depth}_{'adam7' if interlace else 'plain'}_{w}x{h}.png", data, expected)
    # One file per filter type on a smooth RGBA gradient (Paeth and Average with real left/up neighbours), and a file whose
    # data sits in many 1-byte IDATs with ancillary chunks around.
    yy, xx = np.mgrid[0:9, 0:10]
    grad = np.stack([xx * 25, yy * 28, (xx + yy) * 13, 255 - xx * 20], axis=-1).astype(np.int64)
    for f in range(5):
        data = encode_png(grad, 8, 6, False, filters=(f,))
        expected = expected_of(grad, 8, 6, None)
        check_with_pil(data, grad, 8, 6, None, expected)
        save(f"own_filter{f}_rgba8.png", data, expected)
    # Paeth's tie rule (a before b before c) matters only when c is midway between a and b: values from {0, 50, 100, 150}
    # make that frequent.
    for ctype, s in ((0, 1), (2, 3)):
        samples = rng.integers(0, 4, size=(16, 16, s), dtype=np.int64) * 50
        data = encode_png(samples, 8, ctype, False, filters=(4,))
        expected = expected_of(samples, 8, ctype, None)
        check_with_pil(data, samples, 8, ctype, None, expected)
        save(f"own_paeth_ties_t{ctype}_d8.png", data, expected)
    samples = rng.integers(0, 256, size=(6, 7, 3), dtype=np.int64)
    data = encode_png(samples, 8, 2, True, filters=(4, 3), idat_parts=40,
                      extra_chunks=[(b"gAMA", struct.pack(">I", 45455)), (b"tEXt", b"Comment\x00fixture")])
    expected = expected_of(samples, 8, 2, None)
    check_with_pil(data, samples, 8, 2, None, expected)
    save("own_split_idat_ancillary_rgb8.png", data, expected)


def pil_encoder_cases():
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:21, 0:19]
    rgb = np.stack([xx * 13, yy * 12, (xx * yy) % 256], axis=-1).astype(np.uint8)
    noise = rng.integers(0, 256, size=(21, 19, 3), dtype=np.uint8)
    images = {
        "pil_rgb.png": Image.fromarray(rgb, "RGB"),
        "pil_rgb_noise.png": Image.fromarray(noise, "RGB"),
        "pil_grey.png": Image.fromarray(rgb[:, :, 0], "L"),
        "pil_rgba.png": Image.fromarray(np.dstack([rgb, noise[:, :, :1]]), "RGBA"),
        "pil_la.png": Image.fromarray(np.dstack([rgb[:, :, 1], noise[:, :, 2]]), "LA"),
        "pil_palette.png": Image.fromarray(rgb, "RGB").quantize(colors=37),
        "pil_bilevel.png": Image.fromarray(rgb[:, :, 0] > 100),
        "pil_grey16.png": Image.fromarray((rng.integers(0, 65536, size=(9, 11))).astype(np.uint16), "I;16"),
    }
    for name, im in images.items():
        buf = io.BytesIO()
        im.save(buf, "PNG")
        data = buf.getvalue()
        back = Image.open(io.BytesIO(data))
        back.load()
        if back.mode in ("I", "I;16"):
            v = np.asarray(back).astype(np.int64)
            expected = ((v * 255 * 2 + 65535) // (2 * 65535))[:, :, None]
        elif back.mode in ("1", "L", "LA"):
            expected = np.asarray(back.convert("L"))[:, :, None]
        else:
            expected = np.asarray(back.convert("RGB"))
        save(name, data, expected.astype(np.uint8))


def pnm_cases():
    rng = np.random.default_rng(99)
    bits = rng.integers(0, 2, size=(5, 11))
    grey = rng.integers(0, 256, size=(4, 6))
    rgb = rng.integers(0, 256, size=(3, 5, 3))
    grey16 = rng.integers(0, 1001, size=(4, 3))
    rgb16 = rng.integers(0, 65536, size=(2, 3, 3))

    def scale(v, m):  # round(v * 255 / m), ties up
        return ((v.astype(np.int64) * 255 + m // 2) // m).astype(np.uint8)

    def txt(a):
        return "\n".join(" ".join(str(int(v)) for v in row) for row in a.reshape(a.shape[0], -1)) + "\n"

    cases = {
        "p1_comments.pbm": (b"P1\n# a comment\n11 5\n" + "\n".join("".join(str(int(b)) for b in r) for r in bits).encode() + b"\n",
                            np.where(bits == 1, 0, 255)[:, :, None]),
        "p2.pgm": (b"P2 6 4 255\n" + txt(grey).encode(), grey[:, :, None]),
        "p2_maxval15_comments.pgm": (b"P2\n#c1\n6 #c2\n4\n15\n" + txt(grey % 16).encode(), scale(grey % 16, 15)[:, :, None]),
        "p3.ppm": (b"P3\n5 3\n255\n" + txt(rgb).encode(), rgb),
        "p4.pbm": (b"P4\n# raw bits\n11 5\n" + b"".join(pack_row(r, 1) for r in bits), np.where(bits == 1, 0, 255)[:, :, None]),
        "p5.pgm": (b"P5\n6 4\n255\n" + bytes(grey.astype(np.uint8).reshape(-1)), grey[:, :, None]),
        "p5_maxval1000_16bit.pgm": (b"P5 3 4 1000\n" + grey16.astype(">u2").tobytes(), scale(grey16, 1000)[:, :, None]),
        "p5_maxval100.pgm": (b"P5\n6 4\n100\n" + bytes((grey % 101).astype(np.uint8).reshape(-1)), scale(grey % 101, 100)[:, :, None]),
        "p6.ppm": (b"P6\n#c\n5 3\n255\n" + bytes(rgb.astype(np.uint8).reshape(-1)), rgb),
        "p6_maxval65535.ppm": (b"P6\n3 2\n65535\n" + rgb16.astype(">u2").tobytes(), scale(rgb16, 65535)),
    }
    for name, (data, expected) in cases.items():
        expected = np.asarray(expected).astype(np.uint8)
        if not name.endswith("16bit.pgm") and "65535" not in name and "maxval" not in name:
            im = Image.open(io.BytesIO(data))  # PIL reads 8-bit PNM; cross-check those
            got = np.asarray(im.convert("L" if expected.shape[2] == 1 else "RGB"))
            assert (got.reshape(expected.shape) == expected).all(), f"PIL disagrees on {name}"
        save(name, data, expected)


def shared_images():
    folder = os.path.join(HERE, "../../../../../shared/images")
    if not os.path.isdir(folder):
        return
    result = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".png"):
            im = Image.open(os.path.join(folder, name))
            im = im.convert("L" if im.mode in ("1", "L", "LA", "I", "I;16") else "RGB")
            a = np.asarray(im)
            result[name] = {"width": im.width, "height": im.height, "channels": 1 if a.ndim == 2 else 3,
                            "sha256": hashlib.sha256(a.tobytes()).hexdigest()}
    with open(os.path.join(HERE, "shared_images.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    for old in os.listdir(HERE):
        if old.endswith((".png", ".pbm", ".pgm", ".ppm", ".expected")):
            os.remove(os.path.join(HERE, old))
    own_encoder_cases()
    pil_encoder_cases()
    pnm_cases()
    shared_images()
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"{len(manifest)} fixtures")
