"""Builds, briefly trains and saves the small Keras models that fwprune's Keras tests read.

Run from the repository root (any Keras 3 backend works; the committed fixtures used jax):

    python3 -m venv /tmp/kerasvenv && /tmp/kerasvenv/bin/pip install keras jax h5py
    KERAS_BACKEND=jax /tmp/kerasvenv/bin/python tools/keras/make_fixtures.py

For every model it writes, under core/src/test/resources/keras/:
  <name>.keras   the Keras 3 archive (config.json, model.weights.h5, metadata.json)
  <name>.h5      the same model in the legacy HDF5 format
  <name>.json    a few inputs and Keras' predictions for them (flat, row-major, channels last)
The models cover every layer the loader accepts, trained for a few steps on synthetic data so
that no weight (BatchNorm statistics included) keeps its initial value.
"""
import json
import os
import sys

import numpy as np
import keras
from keras import layers

OUT = os.path.join("core", "src", "test", "resources", "keras")
SEED = 7
EXAMPLES = 8


def sequential_cnn():
    """A chain with every single-input layer, Conv2D activations and an Activation softmax."""
    return keras.Sequential([
        keras.Input((12, 12, 3)),
        layers.Conv2D(4, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(6, 3, padding="valid", use_bias=False),
        layers.BatchNormalization(epsilon=1e-2),
        layers.ReLU(),
        layers.AveragePooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.25),
        layers.Dense(8, activation="relu"),
        layers.Dense(3),
        layers.Activation("softmax"),
    ], name="sequential_cnn")


def functional_resnet():
    """A functional ResNet-style graph: identity and strided projection shortcuts, Add."""
    inputs = keras.Input((8, 8, 3))
    x = layers.Conv2D(8, 3, padding="same", use_bias=False)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    y = layers.Conv2D(8, 3, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(8, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    x = layers.ReLU()(layers.Add()([y, x]))
    y = layers.Conv2D(16, 3, strides=2, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(16, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    s = layers.Conv2D(16, 1, strides=2, padding="same", use_bias=False)(x)
    s = layers.BatchNormalization()(s)
    x = layers.ReLU()(layers.Add()([y, s]))
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(4, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="functional_resnet")


def logits_cnn():
    """Strided 'same' and 'valid' convolutions, linear activations, logits out (no softmax)."""
    return keras.Sequential([
        keras.Input((9, 9, 1)),
        layers.Conv2D(4, 3, strides=2, padding="same", activation="linear"),
        layers.Activation("relu"),
        layers.Conv2D(5, 2, strides=2, padding="valid"),
        layers.Activation("linear"),
        layers.Flatten(),
        layers.Dense(3, activation="linear"),
    ], name="logits_cnn")


def paper_cnn():
    """A plain conv-ReLU-pool chain with biases: the kind StructuredPruner shrinks."""
    return keras.Sequential([
        keras.Input((10, 10, 1)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, activation="relu"),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(3, activation="softmax"),
    ], name="paper_cnn")


MODELS = [sequential_cnn, functional_resnet, logits_cnn, paper_cnn]


def main():
    keras.utils.set_random_seed(SEED)
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for make in MODELS:
        model = make()
        shape = model.input_shape[1:]
        classes = model.output_shape[-1]
        x = rng.normal(size=(64,) + shape).astype("float32")
        y = rng.integers(0, classes, size=64)
        model.compile(optimizer=keras.optimizers.Adam(0.01),
                      loss=keras.losses.SparseCategoricalCrossentropy(
                          from_logits=make is logits_cnn))
        model.fit(x, y, epochs=3, batch_size=16, verbose=0)
        path = os.path.join(OUT, make.__name__)
        model.save(path + ".keras")
        model.save(path + ".h5")
        probe = rng.normal(size=(EXAMPLES,) + shape).astype("float32")
        expected = np.asarray(model.predict(probe, verbose=0), dtype="float32")
        with open(path + ".json", "w") as f:
            json.dump({"keras_version": keras.__version__,
                       "backend": keras.backend.backend(),
                       "input_shape": list(probe.shape),
                       "inputs": probe.ravel().tolist(),
                       "output_shape": list(expected.shape),
                       "outputs": expected.ravel().tolist()}, f)
        for suffix in (".keras", ".h5", ".json"):
            print(path + suffix, os.path.getsize(path + suffix), "bytes")


if __name__ == "__main__":
    sys.exit(main())
