"""The exact answer a float32 network approximates: a family's outputs computed in float64.

    KERAS_BACKEND=jax /work/venv-keras/bin/python tools/keras/float64_reference.py DIR OUT [NAME...]
    KERAS_BACKEND=torch /work/venv-torch/bin/python tools/keras/float64_reference.py DIR OUT [NAME...]

For every DIR/NAME.keras with its probe DIR/NAME.json (written by full_families.py or
depth_profile.py; default: every such pair in DIR), builds the same network with every layer's
dtype float64, gives it the file's weights, saves and reloads it (Keras' Normalization computes
with the statistics set_weights gave only after a reload; see rerecord.py) and predicts the
probe's inputs in float64 (the twin stays as OUT/float64/NAME.keras). It writes OUT/NAME.json, the probe with these float64 outputs, and
links OUT/NAME.keras to the float32 file, so that

    java -cp examples/target/fwprune.jar org.fwprune.examples.KerasFamilies OUT

prints fwprune's (float32) largest difference from the float64 answer, and backend_compare.py OUT
prints a Keras backend's. It also prints, per network, how far the recorded float32 Keras outputs
(DIR/NAME.json) are from the float64 answer.

Why: on EfficientNetB6 and B7 with random BatchNorm statistics, fwprune and Keras differ by up to
1.0 at the softmax, and so do Keras' own jax and torch backends (docs/keras.md, EfficientNetB7).
Against the float64 answer each float32 implementation's error can be measured on its own: if
fwprune's error is of the size of Keras', both compute the same function and the network amplifies
float32 rounding; if fwprune's alone is large, fwprune computes something else.
"""
import json
import os
import sys

# jax computes in float32 whatever the dtype asked unless 64-bit values are enabled first.
os.environ.setdefault("JAX_ENABLE_X64", "1")

import numpy as np  # noqa: E402
import keras  # noqa: E402

from backend_compare import saved_probes  # noqa: E402


def as_float64(config):
    """The model's configuration with every float32 dtype (policies, inputs) made float64."""
    if isinstance(config, dict):
        return {k: as_float64(v) for k, v in config.items()}
    if isinstance(config, list):
        return [as_float64(v) for v in config]
    return "float64" if config == "float32" else config


def float64_twin(model, scratch):
    """The same network in float64 with the model's weights, reloaded from a saved file."""
    twin = model.__class__.from_config(as_float64(model.get_config()))
    twin.set_weights([np.asarray(w, dtype="float64") for w in model.get_weights()])
    twin.save(scratch)
    reloaded = keras.saving.load_model(scratch)
    narrow = sorted({w.path for w in reloaded.weights if w.dtype in ("float16", "float32")})
    if narrow:
        raise SystemExit(f"the float64 twin still holds float32 weights: {narrow[:3]}")
    return reloaded


def main(folder, out, names):
    names = names or saved_probes(folder)
    os.makedirs(os.path.join(out, "float64"), exist_ok=True)
    print("name, largest |float64 output|, max |recorded float32 Keras - float64|; backend",
          keras.backend.backend(), flush=True)
    for name in names:
        source = os.path.join(folder, name)
        with open(source + ".json") as f:
            probe = json.load(f)
        model = keras.saving.load_model(source + ".keras")
        twin = float64_twin(model, os.path.join(out, "float64", name + ".keras"))
        x = np.asarray(probe["inputs"], dtype="float64").reshape(probe["input_shape"])
        exact = np.asarray(twin.predict(x, verbose=0), dtype="float64")
        recorded = np.asarray(probe["outputs"], dtype="float64").reshape(exact.shape)
        probe["outputs"] = exact.ravel().tolist()
        probe["backend"] = keras.backend.backend() + " float64"
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(probe, f)
        link = os.path.join(out, name + ".keras")
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(source + ".keras"), link)
        print(f"{name}, {np.abs(exact).max():.4g}, {np.abs(recorded - exact).max():.3g}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
