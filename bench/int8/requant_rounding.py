#!/usr/bin/env python3
"""Requantization rounding of the first convolution of an --emit-qdq model, element by element.

Computes the exact int32 accumulators of the model's first Conv (its input being the graph input after QuantizeLinear,
as in the Fashion-MNIST CNN) on IDX test images, then rounds acc * s_x * s_w[c] / s_y four ways and counts where each
differs from the exactly rounded value (rational arithmetic on the float32 scales):
  double: TFLite's default (SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT) with QuantizeMultiplier's Q31
  single: TFLite's TFLITE_SINGLE_ROUNDING (one rounding of the 64-bit product), what EdgeCnn's Conv/Dense do now
  float:  ONNX Runtime / MLAS (float(acc) * float32(float32(s_x * s_w) / s_y), round half to even)

usage: /usr/bin/python3 bench/int8/requant_rounding.py MODEL.qdq.onnx [IMAGES.idx3-ubyte.gz] [COUNT]
"""
import gzip
import math
import sys
from fractions import Fraction

import numpy as np
import onnx
from onnx import numpy_helper as nh

path = sys.argv[1]
images = sys.argv[2] if len(sys.argv) > 2 else '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'
count = int(sys.argv[3]) if len(sys.argv) > 3 else 300
m = onnx.load(path)
init = {i.name: nh.to_array(i) for i in m.graph.initializer}
producer = {o: n for n in m.graph.node for o in n.output}
consumers = {}
for n in m.graph.node:
    for i in n.input:
        consumers.setdefault(i, []).append(n)
conv = next(n for n in m.graph.node if n.op_type == 'Conv')
attrs = {a.name: onnx.helper.get_attribute_value(a) for a in conv.attribute}
dq_x, dq_w = producer[conv.input[0]], producer[conv.input[1]]
q_x = producer[dq_x.input[0]]
assert q_x.op_type == 'QuantizeLinear' and q_x.input[0] == m.graph.input[0].name, 'the first Conv must read the quantized graph input'
sx, zx = np.float32(init[q_x.input[1]]), int(init[q_x.input[2]])
xdtype = init[q_x.input[2]].dtype
wq = init[dq_w.input[0]].astype(np.int64) - init[dq_w.input[2]].astype(np.int64).reshape(-1, 1, 1, 1)
sw = init[dq_w.input[1]].astype(np.float32).reshape(-1)
bq = init[producer[conv.input[2]].input[0]].astype(np.int64) if len(conv.input) > 2 else np.zeros(wq.shape[0], np.int64)
after = consumers[conv.output[0]][0]
relu = after.op_type == 'Relu'
q_y = consumers[after.output[0]][0] if relu else after
assert q_y.op_type == 'QuantizeLinear', f'{q_y.op_type} after the Conv'
sy, zy = np.float32(init[q_y.input[1]]), int(init[q_y.input[2]])
ymin, ymax = (0, 255) if init[q_y.input[2]].dtype == np.uint8 else (-128, 127)
ymin = max(ymin, zy) if relu else ymin

with gzip.open(images) as f:
    px = np.frombuffer(f.read(), np.uint8, offset=16)[:count * 784].reshape(count, 28, 28)
x = px.astype(np.float32) * np.float32(0.00392156862745098)
lo, hi = (0, 255) if xdtype == np.uint8 else (-128, 127)
xs = np.clip(np.rint(x / sx) + zx, lo, hi).astype(np.int64) - zx
p = attrs.get('pads', [0, 0, 0, 0])
k = wq.shape[2]
xp = np.pad(xs, ((0, 0), (p[0], p[2]), (p[1], p[3])))
H, W = xp.shape[1] - k + 1, xp.shape[2] - k + 1
acc = np.zeros((count, wq.shape[0], H, W), np.int64)
for i in range(k):
    for j in range(k):
        acc += xp[:, None, i:i + H, j:j + W] * wq[None, :, 0, i, j, None, None]
acc += bq[None, :, None, None]


def quantize_multiplier(real):
    q, shift = math.frexp(real)
    qf = int(math.floor(q * 2 ** 31 + 0.5))
    if qf == 2 ** 31:
        qf //= 2
        shift += 1
    return qf, shift


def double_rounding(a, mult, shift):
    a = a * (1 << max(shift, 0))
    ab = a * mult
    v = ab + np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    high = np.where(v >= 0, v // (1 << 31), -((-v) // (1 << 31)))
    e = max(-shift, 0)
    mask = (1 << e) - 1
    return (high >> e) + ((high & mask) > (mask >> 1) + (high < 0))


counts = {'double': 0, 'single': 0, 'float': 0}
for c in range(wq.shape[0]):
    a = acc[:, c]
    mult, shift = quantize_multiplier(float(sx) * float(sw[c]) / float(sy))
    r = 31 - shift
    ways = {
        'double': double_rounding(a, mult, shift),
        'single': (a * mult + (1 << (r - 1))) >> r,
        'float': np.rint(a.astype(np.float32) * np.float32(np.float32(sx * sw[c]) / sy)).astype(np.int64),
    }
    exact_scale = Fraction(float(sx)) * Fraction(float(sw[c])) / Fraction(float(sy))
    n, d = exact_scale.numerator, exact_scale.denominator
    exact = ((2 * a.astype(object) * n + d) // (2 * d)).astype(np.int64)
    exact = np.clip(exact + zy, ymin, ymax)
    for name, v in ways.items():
        counts[name] += int((np.clip(v + zy, ymin, ymax) != exact).sum())

total = acc.size
print(f'{path}: first Conv {conv.name or conv.output[0]}, {count} images, {total} outputs; differ from the exactly rounded value:')
for name, n in counts.items():
    print(f'  {name:6} {n:8d}  ({n / total:.2e})')
