"""How far two Keras backends part on the same saved models: the implementation noise a float32
network amplifies, to set beside fwprune's difference from Keras.

    KERAS_BACKEND=torch /work/venv-torch/bin/python tools/keras/backend_compare.py DIR [NAME...]

For every DIR/NAME.keras with its probe DIR/NAME.json (written with the jax backend by
full_families.py or depth_profile.py; default: every such pair in DIR, in name order), loads the
model with this process's backend, predicts the probe and prints the largest difference from the
recorded outputs, absolute and relative to their largest magnitude. Two backends compute the same
layers with other kernels and summation orders; where even they disagree, a difference between
fwprune and Keras of the same size says nothing about either (docs/keras.md, EfficientNetB7).
"""
import json
import os
import sys

import numpy as np
import keras


def saved_probes(folder):
    """The names of the models in folder that have a probe: every NAME.keras with a NAME.json."""
    return sorted(f[:-6] for f in os.listdir(folder) if f.endswith(".keras")
                  and os.path.exists(os.path.join(folder, f[:-6] + ".json")))


def main(folder, names):
    names = names or saved_probes(folder)
    print("name, largest recorded |output|, max |this backend - recorded| (relative); backend",
          keras.backend.backend(), flush=True)
    for name in names:
        path = os.path.join(folder, name)
        with open(path + ".json") as f:
            probe = json.load(f)
        x = np.asarray(probe["inputs"], dtype="float32").reshape(probe["input_shape"])
        recorded = np.asarray(probe["outputs"], dtype="float32").reshape(probe["output_shape"])
        y = np.asarray(keras.saving.load_model(path + ".keras").predict(x, verbose=0))
        scale = float(np.abs(recorded).max())
        diff = float(np.abs(y - recorded).max())
        print(f"{name}, {scale:.4g}, {diff:.3g} ({diff / scale:.3g})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
