"""Tells whether a family's random network is chaotic: Keras' own prediction under tiny input noise.

    KERAS_BACKEND=jax /work/venv-keras/bin/python tools/keras/perturbation_check.py DIR FAMILY

Loads DIR/FAMILY.keras and its probe DIR/FAMILY.json (written by full_families.py), predicts the
probe as it is (s = 0: the reloaded file against the outputs full_families.py recorded from the
model before saving it, the same weights compiled anew) and multiplied by 1 + s N(0, 1) for
s = 1e-6 and 1e-4, and prints the top classes and the
largest output difference against Keras' recorded outputs. When Keras' top class moves under a
relative noise of 1e-6, float32 rounding alone can change the network's answer, so a difference
between fwprune and Keras on that network says nothing either way (docs/keras.md, EfficientNetB7).
"""
import json
import os
import sys

import numpy as np
import keras


def main(folder, family):
    model = keras.saving.load_model(os.path.join(folder, family + ".keras"))
    with open(os.path.join(folder, family + ".json")) as f:
        probe = json.load(f)
    x = np.asarray(probe["inputs"], dtype="float32").reshape(probe["input_shape"])
    expected = np.asarray(probe["outputs"], dtype="float32").reshape(probe["output_shape"])
    rng = np.random.default_rng(0)
    print("Keras' recorded top classes", expected.argmax(1).tolist(), flush=True)
    for scale in (0.0, 1e-6, 1e-4):
        noisy = (x * (1 + scale * rng.standard_normal(x.shape))).astype("float32")
        y = model.predict(noisy, verbose=0)
        print("relative input noise", scale, "top classes", y.argmax(1).tolist(),
              "max |difference|", float(np.abs(y - expected).max()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
