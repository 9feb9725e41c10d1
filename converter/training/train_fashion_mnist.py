#!/usr/bin/python3
"""Train the Fashion-MNIST sample CNN and export it to ONNX for the EdgeCnn converter.

The network is the classic Keras Fashion-MNIST tutorial CNN ("MiniVGGNet"):

    [conv3x3(32, same) -> ReLU -> BN] x2 -> maxpool 2x2 -> dropout 0.25
    [conv3x3(64, same) -> ReLU -> BN] x2 -> maxpool 2x2 -> dropout 0.25
    flatten -> dense 512 -> ReLU -> BN -> dropout 0.5 -> dense 10 -> softmax

Data: Debian's dataset-fashion-mnist (IDX .gz files), read with gzip + numpy.
Preprocessing (also the model's metadata): x = pixel / 255.0, NCHW, 1 grey channel,
i.e. mean 0 and std 255 in pixel units.

Outputs (in --out-dir, default: this script's folder):
    fashion_mnist_cnn.onnx     opset 13, input "input" [1,1,28,28] f32, output "probabilities" [1,10]
    fashion_mnist_cnn.json     metrics and metadata
    fashion_mnist_case/        ONNX backend-style test case: model.onnx, test_data_set_0..99, labels.txt
and a PyTorch checkpoint in <out-dir>/.cache/ (git-ignored).

Run with Debian's Python (/usr/bin/python3), not a pyenv/venv one: torch and onnx come from apt.
"""

import argparse
import copy
import gzip
import hashlib
import json
import os
import platform
import random
import shlex
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
DATA_DIR = "/usr/share/datasets/fashion-mnist"
OPSET = 13
CASE_COUNT = 100
# Keras BatchNormalization defaults (momentum 0.99 -> PyTorch momentum 0.01, epsilon 1e-3),
# faithful to the tutorial; it also gives the converter a non-default epsilon to read.
BN_EPS = 1e-3
BN_MOMENTUM = 0.01


# ---------------------------------------------------------------- data

def read_idx(path):
    """Reads an IDX file (optionally gzip-compressed) into a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file (bad magic)")
    dtype_code, ndim = data[2], data[3]
    if dtype_code != 0x08:
        raise ValueError(f"{path}: expected unsigned byte data (0x08), got 0x{dtype_code:02x}")
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    count = int(np.prod(dims))
    if len(data) - offset != count:
        raise ValueError(f"{path}: expected {count} data bytes, found {len(data) - offset}")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(dims)


def load_split(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    if images.shape[0] != labels.shape[0] or images.shape[1:] != (28, 28):
        raise ValueError(f"{prefix}: unexpected shapes {images.shape} / {labels.shape}")
    return images, labels


def preprocess(images_u8):
    """uint8 [N,28,28] -> float32 [N,1,28,28] in [0,1]: pixel / 255.0 (mean 0, std 255)."""
    return (images_u8.astype(np.float32) / np.float32(255.0))[:, None, :, :]


# ---------------------------------------------------------------- model

class FashionMnistCnn(nn.Module):
    def __init__(self):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(
                nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(),
                nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM),
                nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(),
                nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM),
                nn.MaxPool2d(2), nn.Dropout(0.25))

        self.block1 = block(1, 32)
        self.block2 = block(32, 64)
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64 * 7 * 7, 512), nn.ReLU(),
            nn.BatchNorm1d(512, eps=BN_EPS, momentum=BN_MOMENTUM),
            nn.Dropout(0.5),
            nn.Linear(512, 10))
        # Keras defaults: glorot_uniform kernels, zero biases.
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def logits(self, x):
        return self.head(self.block2(self.block1(x)))

    def forward(self, x):
        # Softmax is part of the exported model: its output is probabilities.
        return F.softmax(self.logits(x), dim=1)


# ---------------------------------------------------------------- training

def set_seeds(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)


@torch.no_grad()
def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += (model.logits(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def train(args, x_train, y_train, x_val, y_val, x_test, y_test, log):
    model = FashionMnistCnn()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                          weight_decay=args.weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    gen = torch.Generator().manual_seed(args.seed)

    best = {"val_accuracy": -1.0, "epoch": 0, "state": None}
    history = []
    since_best = 0
    n = len(x_train)
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        model.train()
        perm = torch.randperm(n, generator=gen)
        loss_sum, correct = 0.0, 0
        for i in range(0, n, args.batch):
            idx = perm[i:i + args.batch]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad(set_to_none=True)
            logits = model.logits(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
        lr = opt.param_groups[0]["lr"]
        sched.step()
        val_acc = accuracy(model, x_val, y_val) if len(x_val) else float("nan")
        # Test accuracy is logged for information only; it never selects the model.
        test_acc = accuracy(model, x_test, y_test)
        entry = {"epoch": epoch, "lr": lr, "train_loss": loss_sum / n, "train_accuracy": correct / n,
                 "val_accuracy": val_acc, "test_accuracy": test_acc, "seconds": time.time() - t0}
        history.append(entry)
        log(f"epoch {epoch:2d}  lr {lr:.5f}  loss {entry['train_loss']:.4f}  train {entry['train_accuracy']:.4f}"
            f"  val {val_acc:.4f}  test {test_acc:.4f}  {entry['seconds']:.1f} s")
        select = val_acc if len(x_val) else test_acc
        if select > best["val_accuracy"]:
            best = {"val_accuracy": select, "epoch": epoch, "state": copy.deepcopy(model.state_dict())}
            since_best = 0
        else:
            since_best += 1
            if since_best >= args.patience:
                log(f"early stop: no validation improvement for {args.patience} epochs")
                break
    model.load_state_dict(best["state"])
    model.eval()
    return model, history, best


# ---------------------------------------------------------------- export and checks

def export_onnx(model, path):
    import onnx
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28, dtype=torch.float32)
    # TrainingMode.PRESERVE with the model in eval mode: the graph is the inference graph (BN uses the
    # running statistics, Dropout is dropped), but torch.onnx skips its EVAL-only peephole pass
    # (_jit_pass_onnx_eval_peephole) that would fuse BatchNorm into a preceding Conv. Constant folding
    # is off too, so nothing rewrites the BN parameters. The BN nodes stay for the converter to fold.
    torch.onnx.export(model, dummy, path, opset_version=OPSET,
                      input_names=["input"], output_names=["probabilities"],
                      training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False, export_params=True)
    m = onnx.load(path)
    m.doc_string = "EdgeCnn sample: Fashion-MNIST CNN (classic Keras tutorial); input pixel/255, NCHW grey; " \
                   "output softmax probabilities over " + ", ".join(LABELS)
    m.producer_name = "pytorch+edgecnn-train_fashion_mnist.py"
    for k, v in (("labels", json.dumps(LABELS)), ("preprocessing", "x = pixel / 255.0 (mean 0, std 255), NCHW grey")):
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.save(m, path)
    return verify_onnx(path)


def verify_onnx(path):
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    ops = {}
    for node in m.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    opset = [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")][0]

    def dims(vi):
        return [d.dim_value for d in vi.type.tensor_type.shape.dim]

    inputs = [(i.name, dims(i)) for i in m.graph.input if i.name not in {t.name for t in m.graph.initializer}]
    outputs = [(o.name, dims(o)) for o in m.graph.output]
    problems = []
    if opset != OPSET:
        problems.append(f"opset {opset} != {OPSET}")
    if inputs != [("input", [1, 1, 28, 28])]:
        problems.append(f"inputs {inputs}")
    if outputs != [("probabilities", [1, 10])]:
        problems.append(f"outputs {outputs}")
    if ops.get("BatchNormalization", 0) != 5:
        problems.append(f"expected 5 BatchNormalization nodes, found {ops.get('BatchNormalization', 0)}")
    expected = {"Conv": 4, "Relu": 5, "BatchNormalization": 5, "MaxPool": 2, "Flatten": 1, "Gemm": 2, "Softmax": 1}
    if ops != expected:
        # e.g. Identity nodes appear when torch deduplicates equal initializers (an untrained model).
        problems.append(f"op counts {ops}, expected {expected}")
    for node in m.graph.node:
        if node.op_type == "Dropout":
            problems.append("Dropout node present in the exported graph")
        if node.op_type == "BatchNormalization" and len(node.output) != 1:
            problems.append("BatchNormalization in training form (more than one output)")
    if problems:
        raise RuntimeError(f"{path}: " + "; ".join(problems))
    return {"op_counts": ops, "opset": opset, "nodes": len(m.graph.node),
            "initializers": len(m.graph.initializer)}


def write_case(model, x_test, y_test, onnx_path, case_dir):
    from onnx import numpy_helper
    if os.path.isdir(case_dir):
        shutil.rmtree(case_dir)
    os.makedirs(case_dir)
    shutil.copyfile(onnx_path, os.path.join(case_dir, "model.onnx"))
    correct = 0
    with torch.no_grad():
        for i in range(CASE_COUNT):
            x = x_test[i:i + 1].contiguous()
            p = model(x)
            correct += int(p.argmax(1).item() == y_test[i].item())
            d = os.path.join(case_dir, f"test_data_set_{i}")
            os.makedirs(d)
            with open(os.path.join(d, "input_0.pb"), "wb") as f:
                f.write(numpy_helper.from_array(x.numpy().astype(np.float32), name="input").SerializeToString())
            with open(os.path.join(d, "output_0.pb"), "wb") as f:
                f.write(numpy_helper.from_array(p.numpy().astype(np.float32),
                                                name="probabilities").SerializeToString())
    with open(os.path.join(case_dir, "labels.txt"), "w") as f:
        f.write("".join(f"{int(v)}\n" for v in y_test[:CASE_COUNT]))
    return correct


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---------------------------------------------------------------- main

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default=DATA_DIR)
    ap.add_argument("--out-dir", default=here)
    ap.add_argument("--epochs", type=int, default=15, help="maximum epochs (cosine schedule length)")
    ap.add_argument("--patience", type=int, default=4, help="early stop after this many epochs without val gain")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--val-size", type=int, default=5000,
                    help="training images held out (seeded) for early stopping / best-epoch selection")
    ap.add_argument("--train-limit", type=int, default=0, help="use only this many training images (smoke tests)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    command = "/usr/bin/python3 " + " ".join(shlex.quote(a) for a in
                                             [os.path.relpath(os.path.abspath(sys.argv[0]))] + sys.argv[1:])
    os.makedirs(args.out_dir, exist_ok=True)
    cache = os.path.join(args.out_dir, ".cache")
    os.makedirs(cache, exist_ok=True)
    log_file = open(os.path.join(cache, "train.log"), "w")

    def log(msg):
        print(msg, flush=True)
        log_file.write(msg + "\n")
        log_file.flush()

    torch.set_num_threads(args.threads)
    set_seeds(args.seed)
    log(f"torch {torch.__version__}, numpy {np.__version__}, python {platform.python_version()}, "
        f"threads {torch.get_num_threads()}, seed {args.seed}")

    train_u8, train_y = load_split(args.data_dir, "train")
    test_u8, test_y = load_split(args.data_dir, "t10k")
    x_all, y_all = torch.from_numpy(preprocess(train_u8)), torch.from_numpy(train_y.astype(np.int64))
    x_test, y_test = torch.from_numpy(preprocess(test_u8)), torch.from_numpy(test_y.astype(np.int64))
    split = torch.randperm(len(x_all), generator=torch.Generator().manual_seed(args.seed + 1))
    val_idx, train_idx = split[:args.val_size], split[args.val_size:]
    if args.train_limit:
        train_idx = train_idx[:args.train_limit]
    x_train, y_train = x_all[train_idx].contiguous(), y_all[train_idx].contiguous()
    x_val, y_val = x_all[val_idx].contiguous(), y_all[val_idx].contiguous()
    log(f"data: {len(x_train)} train, {len(x_val)} validation (held out from train), {len(x_test)} test")

    t0 = time.time()
    model, history, best = train(args, x_train, y_train, x_val, y_val, x_test, y_test, log)
    train_seconds = time.time() - t0
    torch.save(model.state_dict(), os.path.join(cache, "fashion_mnist_cnn.pt"))

    test_acc = accuracy(model, x_test, y_test)
    log(f"best epoch {best['epoch']} (val {best['val_accuracy']:.4f}); test accuracy {test_acc:.4f} "
        f"on {len(x_test)} images; training {train_seconds:.0f} s")

    onnx_path = os.path.join(args.out_dir, "fashion_mnist_cnn.onnx")
    graph = export_onnx(model, onnx_path)
    log(f"exported {onnx_path}: {graph['op_counts']}")
    case_dir = os.path.join(args.out_dir, "fashion_mnist_case")
    case_correct = write_case(model, x_test, y_test, onnx_path, case_dir)
    log(f"wrote {case_dir}: {CASE_COUNT} test sets, {case_correct}/{CASE_COUNT} correct")

    import onnx
    meta = {
        "model": "fashion_mnist_cnn.onnx",
        "architecture": "[conv3x3(32,same)-ReLU-BN]x2-maxpool2-dropout0.25, [conv3x3(64,same)-ReLU-BN]x2-maxpool2-"
                        "dropout0.25, flatten-dense512-ReLU-BN-dropout0.5-dense10-softmax (classic Keras tutorial)",
        "parameters": sum(p.numel() for p in model.parameters()),
        "test_accuracy": test_acc,
        "test_images": len(x_test),
        "val_accuracy": best["val_accuracy"],
        "val_images": len(x_val),
        "train_images": len(x_train),
        "epochs_run": len(history),
        "best_epoch": best["epoch"],
        "selection": "best validation accuracy (images held out from the training set); test set never used "
                     "for selection",
        "seed": args.seed,
        "hyperparameters": {"optimizer": "SGD", "lr": args.lr, "momentum": args.momentum,
                            "weight_decay": args.weight_decay, "schedule": f"cosine over {args.epochs} epochs",
                            "batch": args.batch, "max_epochs": args.epochs, "patience": args.patience,
                            "batchnorm_eps": BN_EPS, "batchnorm_momentum_torch": BN_MOMENTUM,
                            "init": "glorot uniform, zero bias"},
        "opset": graph["opset"],
        "export": {"training": "TrainingMode.PRESERVE with the model in eval mode", "do_constant_folding": False,
                   "why": "skips torch.onnx's EVAL-only peephole pass that fuses BatchNorm into a preceding Conv; "
                          "BatchNormalization nodes stay in the graph for the converter's folding pass"},
        "onnx_graph": graph,
        "onnx_sha256": sha256(onnx_path),
        "input": {"name": "input", "shape": [1, 1, 28, 28], "dtype": "float32"},
        "output": {"name": "probabilities", "shape": [1, 10], "dtype": "float32", "softmax_in_model": True},
        "preprocessing": {"scale": 1.0 / 255.0, "formula": "x = pixel / 255.0", "mean_pixel_units": 0.0,
                          "std_pixel_units": 255.0, "layout": "NCHW", "channels": 1, "color": "grey",
                          "range": [0.0, 1.0]},
        "labels": LABELS,
        "case": {"folder": "fashion_mnist_case", "test_sets": CASE_COUNT,
                 "images": f"first {CASE_COUNT} test images in order", "pytorch_correct": case_correct},
        "train_time_seconds": round(train_seconds, 1),
        "torch_version": torch.__version__,
        "onnx_version": onnx.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "threads": torch.get_num_threads(),
        "data": {"source": "Debian dataset-fashion-mnist", "dir": args.data_dir},
        "command": command,
        "history": history,
    }
    json_path = os.path.join(args.out_dir, "fashion_mnist_cnn.json")
    old = {}
    if os.path.exists(json_path):
        with open(json_path) as f:
            old = json.load(f)
    if old.get("onnx_sha256") == meta["onnx_sha256"] and "onnxruntime" in old:
        meta["onnxruntime"] = old["onnxruntime"]
        meta["onnxruntime_max_abs_diff"] = old["onnxruntime_max_abs_diff"]
    with open(json_path, "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    log(f"wrote {json_path}")


if __name__ == "__main__":
    main()
