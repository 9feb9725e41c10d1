#!/usr/bin/python3
"""Resize fixtures from torch (an independent implementation of the same definitions) for PreprocessReferenceTests.

torch.nn.functional.interpolate on a float [1, 3, H, W] image (pixel units 0..255):
  bilinear, align_corners=False, antialias=False  == our "bilinear" (half-pixel centres, edge clamp)
  nearest-exact                                   == our "nearest" (floor((d + 0.5) * n / m))
  area (adaptive average pooling)                 == our "area" when the factors are whole numbers
Writes resize_torch.json. Run: /usr/bin/python3 make_resize_fixtures.py (torch 1.13).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(2026)
h, w = 13, 17
image = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
x = torch.from_numpy(image.astype(np.float32)).permute(2, 0, 1)[None]  # [1, 3, H, W]

cases = []
for mode, (oh, ow) in [("bilinear", (5, 7)), ("bilinear", (23, 29)), ("bilinear", (19, 8)), ("bilinear", (13, 17)),
                       ("bilinear", (1, 1)), ("nearest", (5, 7)), ("nearest", (23, 29)), ("nearest", (19, 8))]:
    kw = {"align_corners": False, "antialias": False} if mode == "bilinear" else {}
    y = F.interpolate(x, size=(oh, ow), mode="nearest-exact" if mode == "nearest" else mode, **kw)
    cases.append({"resize": mode, "height": oh, "width": ow, "nchw": [float(v) for v in y.reshape(-1)]})

# Area: whole-number factors (12 x 16 -> 4 x 8: 3 rows by 2 columns), where adaptive pooling is the exact box average.
x12 = x[:, :, :12, :16]
y = F.interpolate(x12, size=(4, 8), mode="area")
cases.append({"resize": "area", "crop_height": 12, "crop_width": 16, "height": 4, "width": 8, "nchw": [float(v) for v in y.reshape(-1)]})

with open(os.path.join(HERE, "resize_torch.json"), "w") as f:
    json.dump({"width": w, "height": h, "channels": 3, "pixels": [int(v) for v in image.reshape(-1)], "cases": cases}, f)
    f.write("\n")
print(len(cases), "cases")
