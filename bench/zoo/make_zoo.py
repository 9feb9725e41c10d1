#!/usr/bin/env python3
"""Builds EdgeCnn's model zoo the way benchncnn does: classic architectures with random weights and a fixed seed,
exported to ONNX with PyTorch from Debian (python3-torch, python3-torchvision, python3-onnx), each as an ONNX
backend-style case folder (model.onnx + test_data_set_0/input_0.pb, output_0.pb) holding PyTorch's own output, so
`edgecnn-convert test bench/zoo/out` checks the converter and runtime against PyTorch on every architecture.

usage: /usr/bin/python3 bench/zoo/make_zoo.py [--out bench/zoo/out] [--only NAME,...]
"""
import argparse
import os

import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision
from onnx import numpy_helper


class TinyUNet(nn.Module):
    """A two-level UNet: conv blocks, max-pool down, transposed-conv up, skip concatenation."""

    def __init__(self, c=8):
        super().__init__()

        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                                 nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))

        self.down1, self.down2, self.mid = block(3, c), block(c, 2 * c), block(2 * c, 4 * c)
        self.up2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, stride=2)
        self.dec2 = block(4 * c, 2 * c)
        self.up1 = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.reduce1 = nn.Conv2d(2 * c, c, 1)
        self.dec1 = block(2 * c, c)
        self.head = nn.Conv2d(c, 2, 1)

    def forward(self, x):
        d1 = self.down1(x)
        d2 = self.down2(nn.functional.max_pool2d(d1, 2))
        m = self.mid(nn.functional.max_pool2d(d2, 2))
        u2 = self.dec2(torch.cat([self.up2(m), d2], 1))
        u1 = self.dec1(torch.cat([self.reduce1(self.up1(u2)), d1], 1))
        return torch.sigmoid(self.head(u1))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
                                        nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def models():
    tv = torchvision.models
    return {
        "lenet5": (LeNet5, (1, 1, 28, 28)),
        "alexnet": (lambda: tv.alexnet(), (1, 3, 224, 224)),
        "vgg11": (lambda: tv.vgg11(), (1, 3, 224, 224)),
        "squeezenet1_1": (lambda: tv.squeezenet1_1(), (1, 3, 224, 224)),
        "resnet18": (lambda: tv.resnet18(), (1, 3, 224, 224)),
        "mobilenet_v2": (lambda: tv.mobilenet_v2(), (1, 3, 224, 224)),
        "mobilenet_v3_small": (lambda: tv.mobilenet_v3_small(), (1, 3, 224, 224)),
        "efficientnet_b0": (lambda: tv.efficientnet_b0(), (1, 3, 224, 224)),
        "unet_tiny": (TinyUNet, (1, 3, 64, 64)),
        "r3d_18": (lambda: tv.video.r3d_18(), (1, 3, 8, 56, 56)),
    }


def export(name, factory, shape, out, opset):
    torch.manual_seed(2026)
    model = factory().eval()
    # Random but realistic batch-norm statistics, so folding is exercised with non-trivial values.
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm3d)):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    x = torch.rand(shape)
    with torch.no_grad():
        y = model(x)
    case = os.path.join(out, name)
    data = os.path.join(case, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    torch.onnx.export(model, x, os.path.join(case, "model.onnx"), opset_version=opset, input_names=["input"],
                      output_names=["output"], do_constant_folding=True)
    onnx.checker.check_model(onnx.load(os.path.join(case, "model.onnx")))
    with open(os.path.join(data, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x.numpy().astype(np.float32), "input").SerializeToString())
    with open(os.path.join(data, "output_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(y.numpy().astype(np.float32), "output").SerializeToString())
    print(f"{name}: {tuple(shape)} -> {tuple(y.shape)}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "out"))
    p.add_argument("--only", default="")
    p.add_argument("--opset", type=int, default=13)
    a = p.parse_args()
    torch.set_num_threads(2)
    wanted = [n for n in a.only.split(",") if n]
    for name, (factory, shape) in models().items():
        if not wanted or name in wanted:
            export(name, factory, shape, a.out, a.opset)


if __name__ == "__main__":
    main()
