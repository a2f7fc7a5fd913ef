"""Loads the .keras archives fwprune wrote into real Keras and compares predictions.

Run from the repository root after building (see docs/keras.md):

    java -cp examples/target/fwprune.jar org.fwprune.examples.KerasRoundTrip \
        core/src/test/resources/keras/sequential_cnn.keras \
        core/src/test/resources/keras/paper_cnn.keras /tmp/keras-roundtrip
    KERAS_BACKEND=jax /tmp/kerasvenv/bin/python tools/keras/check_saved.py /tmp/keras-roundtrip

For each <case>.keras with its <case>.json (probe inputs and fwprune's predictions) it prints
the parameters Keras counts, the fraction of zero kernel entries Keras holds and the largest
absolute difference between Keras' and fwprune's predictions; it exits 1 above the tolerance,
1e-5 or the optional second argument (1e-4 for the full-size families).
"""
import glob
import json
import os
import sys

import numpy as np
import keras

TOLERANCE = 1e-5


def main(folder, tolerance=TOLERANCE):
    worst = 0.0
    for path in sorted(glob.glob(os.path.join(folder, "*.keras"))):
        with open(path[:-len(".keras")] + ".json") as f:
            probe = json.load(f)
        model = keras.saving.load_model(path)
        x = np.asarray(probe["inputs"], dtype="float32").reshape(probe["input_shape"])
        keras_out = np.asarray(model.predict(x, verbose=0))
        fwprune_out = np.asarray(probe["fwprune_outputs"], dtype="float32")
        diff = float(np.max(np.abs(keras_out - fwprune_out)))
        kernels = [w.numpy() if hasattr(w, "numpy") else np.asarray(w)
                   for layer in model.layers for w in layer.weights if w.name == "kernel"]
        zeros = sum(int(np.sum(k == 0)) for k in kernels) / sum(k.size for k in kernels)
        print(f"{os.path.basename(path)}: Keras {keras.__version__} loaded it; "
              f"{model.count_params()} parameters ({probe['parameters']} trainable in fwprune), "
              f"{100 * zeros:.1f}% of kernel entries zero, "
              f"max |keras - fwprune| = {diff:.3g}")
        worst = max(worst, diff)
    return 0 if worst <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], *[float(a) for a in sys.argv[2:3]]))
