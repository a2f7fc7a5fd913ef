"""Where along its depth a family's network parts from Keras: cut models for fwprune, and Keras'
own sensitivity at each cut.

    KERAS_BACKEND=jax /work/venv-keras/bin/python tools/keras/depth_profile.py DIR FAMILY OUT [LAYER...]

Loads DIR/FAMILY.keras and its probe DIR/FAMILY.json (written by full_families.py). For each
LAYER (default: each EfficientNet stage's last projection BatchNormalization, then top_activation)
it writes OUT/FAMILY-LAYER.keras, the network cut after that layer with a global average pool on
top (a 2-D output fwprune can compare), and OUT/FAMILY-LAYER.json with Keras' outputs on the
probe, in the format full_families.py writes. It also prints, per cut, how far Keras' own outputs
move when the probe is multiplied by 1 + 1e-6 N(0, 1), relative to the outputs' largest magnitude:
the rounding-level noise a float32 network amplifies up to that depth.

org.fwprune.examples.KerasFamilies OUT then prints fwprune's largest difference from Keras per
cut. Where fwprune's relative difference stays at or below Keras' own relative movement at every
depth, the two compute the same function up to float32 rounding; a bug shows as a cut where
fwprune's difference jumps while Keras' movement does not (docs/keras.md, EfficientNetB7).
"""
import json
import os
import sys

import numpy as np
import keras


def default_cuts(model):
    """The last block's projection BatchNormalization of every EfficientNet stage (block1d_project_bn
    for B7's first stage, ...) and the network's last activation: one cut per stage."""
    last = {}
    for layer in model.layers:
        if layer.name.startswith("block") and layer.name.endswith("_project_bn"):
            last[layer.name[:6]] = layer.name  # "block2": the stage's last block wins
    cuts = list(last.values())
    if "top_activation" in [l.name for l in model.layers]:
        cuts.append("top_activation")
    return cuts


def main(folder, family, out, names):
    model = keras.saving.load_model(os.path.join(folder, family + ".keras"))
    with open(os.path.join(folder, family + ".json")) as f:
        probe = json.load(f)
    x = np.asarray(probe["inputs"], dtype="float32").reshape(probe["input_shape"])
    noisy = (x * (1 + 1e-6 * np.random.default_rng(0).standard_normal(x.shape))).astype("float32")
    os.makedirs(out, exist_ok=True)
    print("cut, Keras' largest |output|, Keras' movement under 1e-6 input noise (absolute, "
          "relative to the largest |output|)", flush=True)
    for name in names or default_cuts(model):
        pooled = keras.layers.GlobalAveragePooling2D(name="depth_profile_pool")(
            model.get_layer(name).output)
        cut = keras.Model(model.inputs, pooled, name=family + "_" + name)
        path = os.path.join(out, family + "-" + name)
        cut.save(path + ".keras")
        y = np.asarray(cut.predict(x, verbose=0), dtype="float32")
        moved = float(np.abs(np.asarray(cut.predict(noisy, verbose=0)) - y).max())
        scale = float(np.abs(y).max())
        with open(path + ".json", "w") as f:
            json.dump({"keras_version": keras.__version__,
                       "backend": keras.backend.backend(),
                       "family": family + "-" + name,
                       "parameters": int(cut.count_params()),
                       "input_shape": list(x.shape),
                       "inputs": x.ravel().tolist(),
                       "output_shape": list(y.shape),
                       "outputs": y.ravel().tolist()}, f)
        print(f"{name}, {scale:.4g}, {moved:.3g} ({moved / scale:.3g})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
