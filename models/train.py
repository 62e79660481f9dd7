#!/usr/bin/python3
"""Trains TinyQ's example models on the real MNIST / Fashion-MNIST and exports
them to ONNX.

Run with Debian's interpreter (it sees python3-torch):
    /usr/bin/python3 models/train.py --dataset mnist --arch cnn
    /usr/bin/python3 models/train.py --dataset fashion --arch deepcnn
Data comes from scripts/fetch-data.sh (IDX files, gzipped or not). The model
takes float32 input of shape [N, 1, 28, 28] holding pixel / 255 and returns
10 logits. The FP32 test accuracy PyTorch measures is written next to the
ONNX file as <name>.json.
"""

import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    """Reads an IDX file (MNIST format), gzipped or not."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data_dir, dataset, split):
    prefix = "train" if split == "train" else "t10k"
    folder = os.path.join(data_dir, "mnist" if dataset == "mnist" else "fashion-mnist")
    images = read_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


class Mlp(nn.Module):
    """784 -> 128 -> 64 -> 10 with ReLU."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 128),
            nn.ReLU(),
            nn.Linear(128, 64),
            nn.ReLU(),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        return self.layers(x)


class Cnn(nn.Module):
    """A small CNN with a depthwise-separable block and a residual add."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.depthwise = nn.Sequential(
            nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False),
            nn.BatchNorm2d(16),
            nn.ReLU(),
        )
        self.pointwise = nn.Sequential(
            nn.Conv2d(16, 16, 1, bias=False),
            nn.BatchNorm2d(16),
        )
        self.down = nn.Sequential(
            nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(32),
            nn.ReLU(),
        )
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, 10),
        )

    def forward(self, x):
        x = self.stem(x)
        x = torch.relu(x + self.pointwise(self.depthwise(x)))
        return self.head(self.down(x))


def conv_block(inputs, outputs, pool):
    layers = [nn.Conv2d(inputs, outputs, 3, padding=1, bias=False),
              nn.BatchNorm2d(outputs), nn.ReLU()]
    return nn.Sequential(*layers, nn.MaxPool2d(2)) if pool else nn.Sequential(*layers)


class DeepCnn(nn.Module):
    """Five 3x3 convolutions of 144 to 13824 weights, global average pooling
    and a 480-weight classifier: no layer holds most of the weights, so the
    per-layer precision choice has real alternatives at every budget."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            conv_block(1, 16, pool=True),
            conv_block(16, 32, pool=True),
            conv_block(32, 32, pool=False),
            conv_block(32, 32, pool=False),
            conv_block(32, 48, pool=False),
        )
        self.head = nn.Sequential(nn.AvgPool2d(7), nn.Flatten(), nn.Linear(48, 10))

    def forward(self, x):
        return self.head(self.features(x))


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum().item()
    return correct / len(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["mnist", "fashion"], required=True)
    parser.add_argument("--arch", choices=["cnn", "mlp", "deepcnn"], required=True)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--data-dir", default="build/data")
    parser.add_argument("--out-dir", default="models/onnx")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    train_x, train_y = load(args.data_dir, args.dataset, "train")
    test_x, test_y = load(args.data_dir, args.dataset, "test")
    model = {"cnn": Cnn, "mlp": Mlp, "deepcnn": DeepCnn}[args.arch]()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, args.epochs * ((len(train_x) + 63) // 64))
    loss_fn = nn.CrossEntropyLoss()

    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(train_x))
        for i in range(0, len(train_x), 64):
            index = order[i : i + 64]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[index]), train_y[index])
            loss.backward()
            optimizer.step()
            schedule.step()
        accuracy = evaluate(model, test_x, test_y)
        print(f"epoch {epoch + 1}: test accuracy {accuracy:.4f} "
              f"({time.time() - start:.0f} s)", flush=True)

    name = f"{args.dataset}_{args.arch}"
    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, name + ".onnx")
    model.eval()
    # Constant folding off keeps BatchNormalization nodes, which TinyQ folds
    # itself (and tests that it does).
    torch.onnx.export(
        model, torch.zeros(1, 1, 28, 28), path, opset_version=13,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        do_constant_folding=False)
    accuracy = evaluate(model, test_x, test_y)
    with open(os.path.join(args.out_dir, name + ".json"), "w") as f:
        json.dump({"model": name, "dataset": args.dataset, "epochs": args.epochs,
                   "seed": args.seed, "fp32_test_accuracy_pytorch": accuracy,
                   "test_images": len(test_x)}, f, indent=2)
        f.write("\n")
    print(f"{path}: FP32 test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
