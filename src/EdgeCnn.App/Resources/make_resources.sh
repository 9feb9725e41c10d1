#!/usr/bin/env bash
# Regenerates edgecnn-run's embedded default from committed sources:
#  - fashion_mnist_cnn.ecnn: converter/training/fashion_mnist_cnn.onnx converted, with its labels and preprocessing;
#  - fashion_mnist_frames-{images-idx3,labels-idx1}-ubyte.gz: the first 1,000 Fashion-MNIST test images and labels
#    (Debian's dataset-fashion-mnist), the frames the app runs on when no camera is attached.
# usage: bash src/EdgeCnn.App/Resources/make_resources.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
here=src/EdgeCnn.App/Resources
labels="T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot"
dotnet run --project converter/EdgeCnn.Converter.Cli -c Release -- convert converter/training/fashion_mnist_cnn.onnx \
  -o "$here/fashion_mnist_cnn.ecnn" \
  --metadata "labels=$labels" \
  --metadata 'preprocess={"layout":"NCHW","channels":"grey","scale":0.00392156862745098,"mean":[0],"std":[1]}'

python3 - "$here" <<'PY'
import gzip, struct, sys
here, n = sys.argv[1], 1000
src = "/usr/share/datasets/fashion-mnist/t10k-"
with gzip.open(src + "images-idx3-ubyte.gz", "rb") as f:
    magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
    pixels = f.read(n * rows * cols)
with gzip.open(src + "labels-idx1-ubyte.gz", "rb") as f:
    magic_l, count_l = struct.unpack(">II", f.read(8))
    labels = f.read(n)
assert magic == 0x803 and magic_l == 0x801 and len(pixels) == n * rows * cols and len(labels) == n
# mtime=0 keeps the bytes reproducible
with open(f"{here}/fashion_mnist_frames-images-idx3-ubyte.gz", "wb") as out:
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
        g.write(struct.pack(">IIII", magic, n, rows, cols) + pixels)
with open(f"{here}/fashion_mnist_frames-labels-idx1-ubyte.gz", "wb") as out:
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
        g.write(struct.pack(">II", magic_l, n) + labels)
print(f"{n} frames of {rows}x{cols} written to {here}")
PY
