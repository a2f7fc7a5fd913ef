"""Builds miniatures of Keras Applications families with Keras' own application code and saves
them with Keras' predictions, for fwprune's family fidelity tests (no Python needed in CI).

Run from the repository root:

    python3 -m venv /work/venv-keras
    /work/venv-keras/bin/pip install --index-url file:///opt/pypi/simple keras jax h5py numpy
    KERAS_BACKEND=jax /work/venv-keras/bin/python tools/keras/make_family_fixtures.py

Each miniature keeps its family's layers and block code (keras.src.applications.*) at a small
width, depth and input, so that the archive stays under 1 MB. Weights are Keras' seeded random
initialisation; every BatchNormalization's and Normalization's statistics, gammas and betas are
then drawn at random too, so that inference exercises them. For every model it writes, under
core/src/test/resources/keras/families/:
  <name>.keras   the Keras 3 archive
  <name>.json    probe inputs and Keras' predictions for them (flat, row-major, channels last)
"""
import json
import os
import sys

import numpy as np
import keras
from keras import layers
from keras.src.applications import convnext, densenet, efficientnet, inception_resnet_v2
from keras.src.applications import mobilenet_v3, nasnet, resnet
from keras.src.applications import mobilenet as mobilenet_v1

import regnet

OUT = os.path.join("core", "src", "test", "resources", "keras", "families")
SEED = 11
EXAMPLES = 4
SIZE = (32, 32, 3)
CLASSES = 10
LIMIT = 1 << 20


def resnet50():
    """ResNet50's bottleneck blocks (v1, post-activation), two stages of two blocks."""
    def stack(x):
        x = resnet.stack_residual_blocks_v1(x, 8, 2, stride1=1, name="conv2")
        return resnet.stack_residual_blocks_v1(x, 16, 2, name="conv3")
    return resnet.ResNet(stack, False, True, weights=None, input_shape=SIZE, classes=CLASSES,
                         name="resnet50_mini")


def resnet50v2():
    """ResNet50V2's pre-activation blocks (strided max-pool shortcut), two stages."""
    def stack(x):
        x = resnet.stack_residual_blocks_v2(x, 8, 2, name="conv2")
        return resnet.stack_residual_blocks_v2(x, 16, 2, stride1=1, name="conv3")
    return resnet.ResNet(stack, True, True, weights=None, input_shape=SIZE, classes=CLASSES,
                         name="resnet50v2_mini")


def truncated(model, last, name):
    """The family's own layers up to `last`, then the family's head (average pool, softmax)."""
    x = model.get_layer(last).output
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(model.input, outputs, name=name)


def mobilenet_v2():
    """MobileNetV2 at alpha 0.35, its first eleven inverted residual blocks."""
    full = keras.applications.MobileNetV2(alpha=0.35, weights=None, input_shape=SIZE,
                                          include_top=False)
    return truncated(full, "block_10_project_BN", "mobilenet_v2_mini")


def mobilenet():
    """MobileNet (v1)'s blocks at alpha 0.25 (five of thirteen) and MobileNet's own top:
    keepdims pooling, dropout, 1x1 convolution, reshape, softmax activation."""
    inputs = keras.Input(SIZE)
    x = mobilenet_v1._conv_block(inputs, 32, 0.25, strides=(2, 2))
    x = mobilenet_v1._depthwise_conv_block(x, 64, 0.25, 1, block_id=1)
    x = mobilenet_v1._depthwise_conv_block(x, 128, 0.25, 1, strides=(2, 2), block_id=2)
    x = mobilenet_v1._depthwise_conv_block(x, 128, 0.25, 1, block_id=3)
    x = mobilenet_v1._depthwise_conv_block(x, 256, 0.25, 2, strides=(2, 2), block_id=4)
    x = mobilenet_v1._depthwise_conv_block(x, 256, 0.25, 1, block_id=5)
    x = layers.GlobalAveragePooling2D(keepdims=True)(x)
    x = layers.Dropout(1e-3, name="dropout")(x)
    x = layers.Conv2D(CLASSES, (1, 1), padding="same", name="conv_preds")(x)
    x = layers.Reshape((CLASSES,), name="reshape_2")(x)
    outputs = layers.Activation("softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="mobilenet_mini")


def densenet121():
    """DenseNet's dense and transition blocks, one conv block per dense block."""
    return densenet.DenseNet([1, 1, 1, 1], weights=None, input_shape=SIZE, classes=CLASSES,
                             name="densenet121_mini")


def mobilenet_v3_small():
    """MobileNetV3Small's blocks (hard-swish as Keras operation nodes, squeeze-excitation)."""
    def stack(x, kernel, activation, se_ratio):
        def depth(d):
            return mobilenet_v3._depth(d * 0.5)
        x = mobilenet_v3._inverted_res_block(x, 1, depth(16), 3, 2, se_ratio,
                                             mobilenet_v3.relu, 0)
        x = mobilenet_v3._inverted_res_block(x, 72.0 / 16, depth(24), 3, 2, None,
                                             mobilenet_v3.relu, 1)
        x = mobilenet_v3._inverted_res_block(x, 4, depth(40), kernel, 2, se_ratio,
                                             activation, 2)
        return mobilenet_v3._inverted_res_block(x, 6, depth(40), kernel, 1, se_ratio,
                                                activation, 3)
    return mobilenet_v3.MobileNetV3(stack, 64, input_shape=SIZE, alpha=0.5,
                                    model_type="small", weights=None, classes=CLASSES,
                                    name="mobilenet_v3_small_mini")


def efficientnet_b0():
    """EfficientNetB0's MBConv blocks (swish, squeeze-excitation), narrow and shallow."""
    return efficientnet.EfficientNet(0.1, 0.2, 32, weights=None, input_shape=SIZE,
                                     classes=CLASSES, name="efficientnet_b0_mini")


def xception():
    """Xception's entry-flow pattern: separable convolutions, strided max pooling shortcut."""
    inputs = keras.Input(SIZE)
    x = layers.Conv2D(8, 3, strides=2, use_bias=False, name="block1_conv1")(inputs)
    x = layers.BatchNormalization(name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    residual = layers.Conv2D(16, 1, strides=2, padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization()(residual)
    x = layers.SeparableConv2D(16, 3, padding="same", use_bias=False,
                               name="block2_sepconv1")(x)
    x = layers.BatchNormalization(name="block2_sepconv1_bn")(x)
    x = layers.Activation("relu", name="block2_sepconv2_act")(x)
    x = layers.SeparableConv2D(16, 3, padding="same", use_bias=False,
                               name="block2_sepconv2")(x)
    x = layers.BatchNormalization(name="block2_sepconv2_bn")(x)
    x = layers.MaxPooling2D(3, strides=2, padding="same", name="block2_pool")(x)
    x = layers.add([x, residual])
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="xception_mini")


def convnext_tiny():
    """ConvNeXt's own code at depth 1 per stage and widths 8-32: preprocessing Normalization,
    nested Sequential stem and downsampling blocks, 7x7 grouped (depthwise) Conv2D,
    LayerNormalization, Dense on 4-D tensors, GELU, LayerScale, residual operation nodes, and
    the head's LayerNormalization on the pooled vector."""
    return convnext.ConvNeXt([1, 1, 1, 1], [8, 16, 24, 32], weights=None, input_shape=SIZE,
                             classes=CLASSES, name="convnext_tiny_mini")


def nasnet_mobile():
    """NASNet-A's stem as NASNet builds it (3x3/2 convolution, two reduction cells) with 4 filters
    per cell, then NASNet's top: the second cell's adjust block is where NASNetMobile uses
    ZeroPadding2D then Cropping2D ((1, 0), (1, 0)) and 1x1 average pooling with stride 2; the
    cells bring separable convolutions and concatenation."""
    inputs = keras.Input(SIZE)
    x = layers.Conv2D(8, 3, strides=2, padding="valid", use_bias=False, name="stem_conv1")(inputs)
    x = layers.BatchNormalization(momentum=0.9997, epsilon=1e-3, name="stem_bn1")(x)
    x, p = nasnet._reduction_a_cell(x, None, 2, block_id="stem_1")
    x, p = nasnet._reduction_a_cell(x, p, 4, block_id="stem_2")
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="nasnet_mobile_mini")


def more_layers():
    """Not a family: the layers of issue 28's third group, with InceptionResNetV2's
    CustomScaleLayer: LeakyReLU, Identity, SpatialDropout2D, Subtract, Average, Maximum, PReLU
    (one slope per channel, on an image and on a vector), global max pooling with keepdims, and
    Softmax as a layer."""
    inputs = keras.Input(SIZE)
    x = layers.Conv2D(6, 3, strides=2, padding="same")(inputs)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Identity()(x)
    x = layers.SpatialDropout2D(0.3)(x)
    a = layers.Conv2D(6, 1)(x)
    b = layers.Conv2D(6, 3, padding="same")(x)
    x = layers.Subtract()([a, b])
    x = layers.Average()([x, a, b])
    x = layers.Maximum()([x, layers.Conv2D(6, 1)(x)])
    x = layers.PReLU(shared_axes=[1, 2])(x)
    x = inception_resnet_v2.CustomScaleLayer(0.17)([x, layers.Conv2D(6, 1)(x)])
    x = layers.GlobalMaxPooling2D(keepdims=True)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(8)(x)
    x = layers.PReLU()(x)
    x = layers.Dense(CLASSES)(x)
    outputs = layers.Softmax()(x)
    return keras.Model(inputs, outputs, name="more_layers")


def layer_options():
    """Not a family: a rectangular kernel and stride, every activation function and ReLU option,
    SAME pooling with a window larger than its stride, and a Normalization given its statistics
    in the config."""
    inputs = keras.Input(SIZE)
    x = layers.Normalization(mean=[0.1, 0.2, 0.3], variance=[1.5, 0.8, 2.0])(inputs)
    x = layers.Conv2D(6, 3, strides=2, padding="same")(x)
    x = layers.Conv2D(6, (1, 3), strides=(2, 1), padding="same")(x)
    branches = [layers.Activation(a)(x) for a in
                ("sigmoid", "hard_sigmoid", "swish", "hard_swish", "gelu", "tanh", "elu",
                 "selu", "leaky_relu", "relu6")]
    branches.append(layers.ReLU(max_value=4.0, negative_slope=0.1, threshold=0.5)(x))
    branches.append(layers.ReLU(negative_slope=0.3)(x))
    x = layers.Add()(branches)
    x = layers.AveragePooling2D(3, strides=2, padding="same")(x)
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(CLASSES, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="layer_options")


def regnetx_002():
    """RegNetX002's X blocks (Keras 3 has no RegNet: regnet.py rebuilds Keras 2's) with its stem
    and head, one block per stage but two in the third, widths 16-48 at group width 8: grouped
    3x3 convolutions of 2, 3, 4 and 6 groups, strided projection shortcuts and an identity one."""
    return regnet.regnet([1, 1, 2, 1], [16, 24, 32, 48], 8, "X", SIZE, CLASSES, "regnetx_002_mini")


def dilated():
    """Not a family: dilated (atrous) convolutions as DeepLab uses them, issue 28: dilation 2 with
    SAME and VALID padding, a grouped dilated convolution (2 groups, 8 channels in, 12 out), a 1x3
    window dilated along the width only, a rectangular dilation with 3 groups, and a strided
    grouped convolution."""
    inputs = keras.Input(SIZE)
    x = layers.Conv2D(8, 3, strides=2, padding="same", name="stem")(inputs)
    x = layers.Conv2D(8, 3, dilation_rate=2, padding="same", use_bias=False,
                      name="atrous_same")(x)
    x = layers.BatchNormalization(name="atrous_same_bn")(x)
    x = layers.ReLU(name="atrous_same_relu")(x)
    x = layers.Conv2D(12, 3, dilation_rate=2, groups=2, name="atrous_grouped")(x)
    x = layers.Conv2D(12, (1, 3), dilation_rate=(1, 3), padding="same", name="atrous_1x3")(x)
    y = layers.Conv2D(12, 3, dilation_rate=(2, 1), groups=3, padding="same",
                      activation="relu", name="atrous_rect_grouped")(x)
    x = layers.Add(name="add")([x, y])
    x = layers.Conv2D(16, 3, strides=2, groups=4, padding="same", name="grouped_strided")(x)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="dilated")


def dilated_depthwise():
    """Not a family: dilated depthwise and separable convolutions (DeepLabV3+'s atrous separable
    convolutions), issue 28: a DepthwiseConv2D dilated 2 under SAME padding without a bias, one
    dilated 3 under VALID with depth multiplier 2 and a bias, a SeparableConv2D dilated 2 under
    SAME, and one dilated 2 under VALID with depth multiplier 2, between BatchNorms."""
    inputs = keras.Input(SIZE)
    x = layers.Conv2D(8, 3, strides=2, padding="same", name="stem")(inputs)
    x = layers.DepthwiseConv2D(3, dilation_rate=2, padding="same", use_bias=False,
                               name="atrous_dw_same")(x)
    x = layers.BatchNormalization(name="atrous_dw_same_bn")(x)
    x = layers.ReLU(name="atrous_dw_same_relu")(x)
    x = layers.DepthwiseConv2D(3, dilation_rate=3, depth_multiplier=2, name="atrous_dw_valid")(x)
    x = layers.SeparableConv2D(12, 3, dilation_rate=2, padding="same", use_bias=False,
                               name="atrous_sep_same")(x)
    x = layers.BatchNormalization(name="atrous_sep_same_bn")(x)
    x = layers.ReLU(name="atrous_sep_same_relu")(x)
    x = layers.SeparableConv2D(16, 3, dilation_rate=2, depth_multiplier=2, activation="relu",
                               name="atrous_sep_valid")(x)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="dilated_depthwise")


def prelu_axes():
    """Not a family: PReLU with each of Keras' sharings, issue 28: a slope per value (no
    shared_axes), one slope in all (1, 2, 3), a slope per position (3), a slope per column and
    channel (1), one per channel (1, 2), and on a vector one in all (1) and one per unit (none)."""
    inputs = keras.Input(SIZE)
    x = layers.Conv2D(8, 3, strides=2, padding="same", name="stem")(inputs)
    x = layers.PReLU(name="per_value")(x)
    x = layers.Conv2D(8, 3, padding="same", name="conv_a")(x)
    x = layers.PReLU(shared_axes=[1, 2, 3], name="one_slope")(x)
    x = layers.Conv2D(12, 3, strides=2, padding="same", name="conv_b")(x)
    x = layers.PReLU(shared_axes=[3], name="per_position")(x)
    x = layers.Conv2D(12, 3, padding="same", name="conv_c")(x)
    x = layers.PReLU(shared_axes=[1], name="per_column_channel")(x)
    x = layers.Conv2D(16, 1, name="conv_d")(x)
    x = layers.PReLU(shared_axes=[1, 2], name="per_channel")(x)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dense(16, name="fc")(x)
    x = layers.PReLU(shared_axes=[1], name="vector_one_slope")(x)
    x = layers.Dense(16, name="fc2")(x)
    x = layers.PReLU(name="vector_per_unit")(x)
    outputs = layers.Dense(CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="prelu_axes")


FAMILIES = [resnet50, resnet50v2, mobilenet_v2, mobilenet, densenet121, mobilenet_v3_small,
            efficientnet_b0, xception, layer_options, convnext_tiny, nasnet_mobile,
            more_layers, regnetx_002, dilated, dilated_depthwise, prelu_axes]


def randomize_statistics(model, rng):
    """Random BatchNorm and Normalization statistics, gammas and betas, LayerNormalization
    gammas and betas, ConvNeXt's LayerScale gammas (whose 1e-6 start would hide the blocks'
    branches) and PReLU slopes (whose zero start is a ReLU), seeded; nested models' layers
    too."""
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, layers.PReLU):
            layer.set_weights([rng.uniform(-0.5, 0.5, v.shape).astype("float32")
                               for v in layer.get_weights()])
        if isinstance(layer, (layers.LayerNormalization, convnext.LayerScale)):
            new = []
            for w, v in zip(layer.weights, layer.get_weights()):
                new.append(rng.uniform(0.5, 1.5, v.shape) if "gamma" in w.path
                           else rng.normal(0, 0.2, v.shape))
            layer.set_weights([a.astype("float32") for a in new])
        if isinstance(layer, layers.BatchNormalization):
            new = []
            for w, v in zip(layer.weights, layer.get_weights()):
                if "variance" in w.path:
                    new.append(rng.uniform(0.5, 1.5, v.shape))
                elif "gamma" in w.path:
                    new.append(rng.uniform(0.5, 1.5, v.shape))
                else:
                    new.append(rng.normal(0, 0.2, v.shape))
            layer.set_weights([a.astype("float32") for a in new])
        elif isinstance(layer, layers.Normalization) and layer.get_weights():
            w = layer.get_weights()
            layer.set_weights([rng.normal(0, 0.2, w[0].shape).astype("float32"),
                               rng.uniform(0.5, 1.5, w[1].shape).astype("float32"), w[2]])


def main(names):
    keras.utils.set_random_seed(SEED)
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for make in FAMILIES:
        if names and make.__name__ not in names:
            continue
        model = make()
        randomize_statistics(model, rng)
        path = os.path.join(OUT, make.__name__)
        model.save(path + ".keras")
        probe = rng.uniform(0, 255 if make in (mobilenet_v3_small, efficientnet_b0, convnext_tiny,
                                               regnetx_002, dilated_depthwise,
                                               prelu_axes) else 1,
                            size=(EXAMPLES,) + SIZE).astype("float32")
        # Recorded from the saved file: in memory, Keras' Normalization ignores the statistics
        # set above until the model is reloaded (tools/keras/rerecord.py).
        reloaded = keras.saving.load_model(path + ".keras")
        expected = np.asarray(reloaded.predict(probe, verbose=0), dtype="float32")
        with open(path + ".json", "w") as f:
            json.dump({"keras_version": keras.__version__,
                       "backend": keras.backend.backend(),
                       "family": make.__name__,
                       "parameters": int(model.count_params()),
                       "input_shape": list(probe.shape),
                       "inputs": probe.ravel().tolist(),
                       "output_shape": list(expected.shape),
                       "outputs": expected.ravel().tolist()}, f)
        size = os.path.getsize(path + ".keras")
        print(make.__name__, model.count_params(), "parameters,", size, "bytes,",
              "max output", float(expected.max()))
        if size >= LIMIT:
            print("  over 1 MB: make the miniature smaller", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
