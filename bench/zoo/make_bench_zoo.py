#!/usr/bin/env python3
"""Builds EdgeCnn's benchmark zoo for the side-by-side comparison with ONNX Runtime, the way benchncnn picks its models:
torchvision SqueezeNet 1.1, MobileNetV2 and ResNet-18 with random weights from a fixed seed (exported by make_zoo.py's own
export: seed 2026, random batch-norm statistics, opset 13, 1x3x224x224, PyTorch's output kept as test_data_set_0), plus
the trained Fashion-MNIST model (converter/training), and mnist-8 and Ultraface RFB-320 from ../shared/models when that
folder is there (it is absent on a fresh machine: those two are then skipped, and said so).

Each model is a case folder <out>/<name>/model.onnx + test_data_set_0/, so the zoo is also a conformance check:
  /usr/bin/python3 bench/zoo/make_bench_zoo.py                      # -> .cache/bench-zoo (git-ignored)
  dotnet run --project converter/EdgeCnn.Converter.Cli -c Release -- test .cache/bench-zoo
  dotnet run --project bench/EdgeCnn.Bench.SideBySide -c Release -- .cache/bench-zoo --results bench/results/DATE-side-by-side.md

usage: /usr/bin/python3 bench/zoo/make_bench_zoo.py [--out DIR] [--shared DIR] [--only NAME,...]
"""
import argparse
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import make_zoo  # noqa: E402  (the conformance zoo's architectures and export, shared rather than repeated)

TORCHVISION = ["squeezenet1_1", "mobilenet_v2", "resnet18"]
SHARED = {"mnist-8": "mnist-8", "ultraface_rfb_320": "ultraface-rfb-320"}


def copy_case(src_model, src_data, dest):
    """model.onnx and one test_data_set_0 folder into dest (the whole case is not needed for timing)."""
    os.makedirs(dest, exist_ok=True)
    shutil.copyfile(src_model, os.path.join(dest, "model.onnx"))
    if src_data and os.path.isdir(src_data):
        data = os.path.join(dest, "test_data_set_0")
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(src_data, data)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(REPO, ".cache", "bench-zoo"))
    p.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"),
                   help="the shared folder holding models/mnist-8 and models/ultraface-rfb-320 (default: ../shared)")
    p.add_argument("--only", default="", help="comma-separated names to build")
    p.add_argument("--opset", type=int, default=13)
    a = p.parse_args()
    wanted = [n for n in a.only.split(",") if n]
    want = lambda name: not wanted or name in wanted  # noqa: E731
    import torch
    torch.set_num_threads(2)

    zoo = make_zoo.models()
    for name in TORCHVISION:
        if want(name):
            factory, shape = zoo[name]
            make_zoo.export(name, factory, shape, a.out, a.opset)

    if want("fashion_mnist"):
        training = os.path.join(REPO, "converter", "training")
        copy_case(os.path.join(training, "fashion_mnist_cnn.onnx"),
                  os.path.join(training, "fashion_mnist_case", "test_data_set_0"), os.path.join(a.out, "fashion_mnist"))
        print("fashion_mnist: converter/training/fashion_mnist_cnn.onnx (trained, 1x1x28x28)")

    for name, folder in SHARED.items():
        if not want(name):
            continue
        src = os.path.join(a.shared, "models", folder)
        if os.path.isfile(os.path.join(src, "model.onnx")):
            copy_case(os.path.join(src, "model.onnx"), os.path.join(src, "test_data_set_0"), os.path.join(a.out, name))
            print(f"{name}: {os.path.join(src, 'model.onnx')}")
        else:
            print(f"{name}: skipped, {src} is absent (it comes with ../shared, not with the repository)")

    print(f"zoo in {a.out}")


if __name__ == "__main__":
    main()
