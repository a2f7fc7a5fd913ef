"""Writes full-size Keras Applications families (224x224, or the family's own size) for
fwprune's full-size comparison, with Keras' predictions on fixed inputs.

Run from the repository root (see docs/keras.md for the whole sequence):

    KERAS_BACKEND=jax /work/venv-keras/bin/python tools/keras/full_families.py OUT [FAMILY...]
    KERAS_BACKEND=jax /work/venv-keras/bin/python tools/keras/full_families.py --keras-statistics OUT [FAMILY...]

For every family, with Keras' seeded random initialisation (weights=None) and random
BatchNormalization statistics, gammas and betas (as make_family_fixtures.py draws them), it
writes OUT/<family>.keras and OUT/<family>.json: 2 probe images and Keras' softmax outputs.
org.fwprune.examples.KerasFamilies then loads each into fwprune, and check_saved.py loads what
fwprune saves back into Keras.

With --keras-statistics, BatchNormalization keeps Keras' initial statistics (mean 0, variance 1,
gamma 1, beta 0): a calm network whose outputs do not saturate, for telling a bug from the float32
sensitivity of a chaotic random one (docs/keras.md, EfficientNetB7).
"""
import json
import os
import sys
import time

import numpy as np
import keras
from keras import applications as apps

from make_family_fixtures import randomize_statistics
import regnet

SEED = 13
EXAMPLES = 2

FAMILIES = {
    "ResNet50": (apps.ResNet50, 224),
    "ResNet50V2": (apps.ResNet50V2, 224),
    "MobileNet": (apps.MobileNet, 224),
    "MobileNetV2": (apps.MobileNetV2, 224),
    "MobileNetV3Small": (apps.MobileNetV3Small, 224),
    "MobileNetV3Large": (apps.MobileNetV3Large, 224),
    "EfficientNetB0": (apps.EfficientNetB0, 224),
    "DenseNet121": (apps.DenseNet121, 224),
    "Xception": (apps.Xception, 299),
    "InceptionV3": (apps.InceptionV3, 299),
    "ConvNeXtTiny": (apps.ConvNeXtTiny, 224),
    "NASNetMobile": (apps.NASNetMobile, 224),
    "EfficientNetV2B0": (apps.EfficientNetV2B0, 224),
    "InceptionResNetV2": (apps.InceptionResNetV2, 299),
    "VGG16": (apps.VGG16, 224),
    "VGG19": (apps.VGG19, 224),
    "ResNet101": (apps.ResNet101, 224),
    "ResNet152": (apps.ResNet152, 224),
    "ResNet101V2": (apps.ResNet101V2, 224),
    "ResNet152V2": (apps.ResNet152V2, 224),
    "DenseNet169": (apps.DenseNet169, 224),
    "DenseNet201": (apps.DenseNet201, 224),
    "EfficientNetB1": (apps.EfficientNetB1, 240),
    "EfficientNetB2": (apps.EfficientNetB2, 260),
    "EfficientNetB3": (apps.EfficientNetB3, 300),
    "EfficientNetB4": (apps.EfficientNetB4, 380),
    "EfficientNetB5": (apps.EfficientNetB5, 456),
    "EfficientNetB6": (apps.EfficientNetB6, 528),
    "EfficientNetB7": (apps.EfficientNetB7, 600),
    "ConvNeXtSmall": (apps.ConvNeXtSmall, 224),
    "ConvNeXtBase": (apps.ConvNeXtBase, 224),
    "ConvNeXtLarge": (apps.ConvNeXtLarge, 224),
    "ConvNeXtXLarge": (apps.ConvNeXtXLarge, 224),
    "EfficientNetV2B1": (apps.EfficientNetV2B1, 240),
    "EfficientNetV2B2": (apps.EfficientNetV2B2, 260),
    "EfficientNetV2B3": (apps.EfficientNetV2B3, 300),
    "EfficientNetV2S": (apps.EfficientNetV2S, 384),
    "EfficientNetV2M": (apps.EfficientNetV2M, 480),
    "EfficientNetV2L": (apps.EfficientNetV2L, 480),
    "NASNetLarge": (apps.NASNetLarge, 331),
    # Keras 3 has no RegNet: regnet.py rebuilds Keras 2's (softmax head).
    "RegNetX002": (regnet.RegNetX002, 224),
    "RegNetY002": (regnet.RegNetY002, 224),
}


def main(out, names, keras_statistics=False):
    keras.utils.set_random_seed(SEED)
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for name, (make, size) in FAMILIES.items():
        if names and name not in names:
            continue
        model = make(weights=None, input_shape=(size, size, 3))
        if not keras_statistics:
            randomize_statistics(model, rng)
        path = os.path.join(out, name)
        model.save(path + ".keras")
        # Pixel values, as the families' preprocessing (inside the model or not) expects.
        probe = rng.uniform(0, 255, size=(EXAMPLES, size, size, 3)).astype("float32")
        # Recorded from the saved file: in memory, Keras' Normalization ignores the statistics
        # set above until the model is reloaded (tools/keras/rerecord.py).
        reloaded = keras.saving.load_model(path + ".keras")
        start = time.time()
        expected = np.asarray(reloaded.predict(probe, verbose=0), dtype="float32")
        with open(path + ".json", "w") as f:
            json.dump({"keras_version": keras.__version__,
                       "backend": keras.backend.backend(),
                       "family": name,
                       "parameters": int(model.count_params()),
                       "input_shape": list(probe.shape),
                       "inputs": probe.ravel().tolist(),
                       "output_shape": list(expected.shape),
                       "outputs": expected.ravel().tolist()}, f)
        print(name, model.count_params(), "parameters,", os.path.getsize(path + ".keras"),
              "bytes, Keras predict", round(time.time() - start, 1), "s", flush=True)
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    calm = args[:1] == ["--keras-statistics"]
    if calm:
        args = args[1:]
    sys.exit(main(args[0], args[1:], keras_statistics=calm))
