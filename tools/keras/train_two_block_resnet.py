"""Trains, in Keras, the two-block BatchNorm ResNet of docs/graph-networks.md and saves it.

The network of org.fwprune.examples.BatchNormDefaults (conv16-BN-ReLU, a 16- and a 32-channel
stride-2 residual block with a 1x1 projection shortcut, global average pooling, dense 10 softmax),
Keras' defaults everywhere (BatchNorm momentum 0.99), trained on the first 20,000 training images
of an IDX folder (MNIST or Fashion-MNIST; pixels / 255) with SGD 0.05, momentum 0.9, batch 128.
org.fwprune.examples.KerasBatchNormPruning then prunes the saved files with fwprune.

    KERAS_BACKEND=jax /work/venv-keras/bin/python tools/keras/train_two_block_resnet.py \
        IDX_FOLDER OUT_FOLDER [SEEDS=3] [EPOCHS=3]

Writes OUT_FOLDER/two-block-resnet-seed<s>.keras and prints Keras' own test accuracy per seed.
"""
import gzip
import os
import struct
import sys

import numpy as np
import keras
from keras import layers

TRAIN_SIZE = 20_000


def read_idx(folder, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            dims = data[3]
            shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    raise FileNotFoundError(f"no {stem}(.gz) in {folder}")


def conv_bn(x, filters, kernel, stride):
    x = layers.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False)(x)
    return layers.BatchNormalization()(x)


def two_block_resnet():
    inputs = keras.Input((28, 28, 1))
    x = layers.ReLU()(conv_bn(inputs, 16, 3, 1))
    y = conv_bn(layers.ReLU()(conv_bn(x, 16, 3, 1)), 16, 3, 1)
    x = layers.ReLU()(layers.Add()([y, x]))
    y = conv_bn(layers.ReLU()(conv_bn(x, 32, 3, 2)), 32, 3, 1)
    x = layers.ReLU()(layers.Add()([y, conv_bn(x, 32, 1, 2)]))
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    folder, out = argv[1], argv[2]
    seeds = int(argv[3]) if len(argv) > 3 else 3
    epochs = int(argv[4]) if len(argv) > 4 else 3
    x = read_idx(folder, "train-images-idx3-ubyte")[:TRAIN_SIZE, :, :, None] / np.float32(255)
    y = read_idx(folder, "train-labels-idx1-ubyte")[:TRAIN_SIZE].astype(np.int64)
    tx = read_idx(folder, "t10k-images-idx3-ubyte")[:, :, :, None] / np.float32(255)
    ty = read_idx(folder, "t10k-labels-idx1-ubyte").astype(np.int64)
    os.makedirs(out, exist_ok=True)
    for seed in range(seeds):
        keras.utils.set_random_seed(seed)
        model = two_block_resnet()
        model.compile(keras.optimizers.SGD(0.05, momentum=0.9),
                      "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=128, epochs=epochs, verbose=0)
        accuracy = model.evaluate(tx, ty, batch_size=1000, verbose=0)[1]
        path = os.path.join(out, f"two-block-resnet-seed{seed}.keras")
        model.save(path)
        print(f"seed {seed} epochs {epochs} keras test accuracy {accuracy:.4f} -> {path}",
              flush=True)


if __name__ == "__main__":
    main(sys.argv)
