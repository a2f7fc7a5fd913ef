"""Rewrites the Keras outputs of probe files from the saved models themselves.

    KERAS_BACKEND=jax /work/venv-keras/bin/python tools/keras/rerecord.py DIR FAMILY [FAMILY...]

For each FAMILY, loads DIR/FAMILY.keras with keras.saving.load_model, predicts the inputs of
DIR/FAMILY.json and writes that file again with these outputs, printing the largest change.

Why: Keras 3.15's Normalization layer keeps computing with the mean and variance it was built
with after set_weights, until the model is saved and loaded again (measured: a layer given mean
(1, 2, 3) and variance 4 still returned its input in memory, and (0, -0.5, -1) for an input of
ones after reloading). make_family_fixtures.py and full_families.py gave their Normalization
layers random statistics and recorded the in-memory model's outputs, so for the families with
a Normalization layer (EfficientNet, ConvNeXt) the recorded outputs were not what the saved file
computes. Both now record from the reloaded file; this script corrects files written before.
"""
import json
import os
import sys

import numpy as np
import keras


def main(folder, families):
    for family in families:
        path = os.path.join(folder, family)
        model = keras.saving.load_model(path + ".keras")
        with open(path + ".json") as f:
            probe = json.load(f)
        x = np.asarray(probe["inputs"], dtype="float32").reshape(probe["input_shape"])
        old = np.asarray(probe["outputs"], dtype="float32")
        y = np.asarray(model.predict(x, verbose=0), dtype="float32")
        probe["outputs"] = y.ravel().tolist()
        probe["keras_version"] = keras.__version__
        with open(path + ".json", "w") as f:
            json.dump(probe, f)
        print(family, "largest change", float(np.abs(y.ravel() - old).max()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
