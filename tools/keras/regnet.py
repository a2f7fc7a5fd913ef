"""RegNetX and RegNetY (Radosavovic et al. 2020, "Designing Network Design Spaces") in Keras 3.

Keras 3.15.1 has no RegNet: keras.applications.RegNetX002 and the others were Keras 2's (now
tf-keras' tf_keras/applications/regnet.py) and were not carried over. This module rebuilds the
same networks with Keras 3 layers, layer for layer as Keras 2 laid them out, so that fwprune can
be checked on their grouped convolutions:

- preprocessing: Rescaling(1/255);
- stem: 3x3/2 Conv2D with 32 filters, no bias, SAME; BatchNormalization (momentum 0.9, epsilon
  1e-5); ReLU;
- four stages; each starts with a stride-2 block whose shortcut is a 1x1/2 Conv2D and a
  BatchNormalization, then identity-shortcut blocks;
- X block: 1x1 Conv2D, BN, ReLU; 3x3 Conv2D with groups = width / group_width (the grouped
  convolution), BN, ReLU; 1x1 Conv2D, BN; ReLU of the sum with the shortcut;
- Y block: the X block with a squeeze-and-excitation gate after the grouped convolution (keepdims
  average pooling, 1x1 Conv2D to a quarter of the block's input width with ReLU, 1x1 Conv2D back
  with sigmoid, multiplied into the activation);
- head: GlobalAveragePooling2D and Dense. Keras 2's head left the Dense linear whatever
  classifier_activation said; here the activation is applied, softmax by default, as every other
  Keras application does.

Widths, depths and group widths are the paper's (Keras 2 used the same). Run nothing here:
make_family_fixtures.py and full_families.py import it.
"""
import keras
from keras import layers

# Stage depths, stage widths and the channels per group of each grouped convolution.
CONFIGS = {
    "x002": ([1, 1, 4, 7], [24, 56, 152, 368], 8, "X"),
    "y002": ([1, 1, 4, 7], [24, 56, 152, 368], 8, "Y"),
}

STEM_WIDTH = 32


def _bn(name):
    return layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name=name)


def _conv(filters, kernel, name, stride=1, groups=1, padding="valid", activation=None,
          use_bias=False):
    return layers.Conv2D(filters, kernel, strides=stride, groups=groups, padding=padding,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer="he_normal", name=name)


def _gate(x, width, squeeze, name):
    """Squeeze and excitation: a per-channel sigmoid gate computed from the pooled channels."""
    s = layers.GlobalAveragePooling2D(keepdims=True, name=name + "_squeeze_and_excite_gap")(x)
    s = _conv(squeeze, 1, name + "_squeeze_and_excite_squeeze", activation="relu",
              use_bias=True)(s)
    s = _conv(width, 1, name + "_squeeze_and_excite_excite", activation="sigmoid",
              use_bias=True)(s)
    return keras.ops.multiply(s, x)


def block(x, kind, width_in, width, group_width, stride, name):
    """One X or Y block of `width` output channels; stride 2 blocks project the shortcut."""
    if stride == 1 and width_in != width:
        raise ValueError(f"{name}: a stride-1 block keeps its width ({width_in} != {width})")
    shortcut = x
    if stride != 1:
        shortcut = _conv(width, 1, name + "_skip_1x1", stride=stride)(x)
        shortcut = _bn(name + "_skip_bn")(shortcut)
    y = _conv(width, 1, name + "_conv_1x1_1")(x)
    y = _bn(name + "_conv_1x1_1_bn")(y)
    y = layers.ReLU(name=name + "_conv_1x1_1_relu")(y)
    y = _conv(width, 3, name + "_conv_3x3", stride=stride, groups=width // group_width,
              padding="same")(y)
    y = _bn(name + "_conv_3x3_bn")(y)
    y = layers.ReLU(name=name + "_conv_3x3_relu")(y)
    if kind == "Y":
        y = _gate(y, width, int(width_in * 0.25), name)
    y = _conv(width, 1, name + "_conv_1x1_2")(y)
    y = _bn(name + "_conv_1x1_2_bn")(y)
    return layers.ReLU(name=name + "_exit_relu")(y + shortcut)


def regnet(depths, widths, group_width, kind, input_shape, classes, name,
           classifier_activation="softmax"):
    """A RegNet of the given stages (one entry of CONFIGS), with its head."""
    inputs = keras.Input(input_shape)
    x = layers.Rescaling(1.0 / 255.0, name=name + "_prestem_rescaling")(inputs)
    x = _conv(STEM_WIDTH, 3, name + "_stem_conv", stride=2, padding="same")(x)
    x = _bn(name + "_stem_bn")(x)
    x = layers.ReLU(name=name + "_stem_relu")(x)
    width_in = STEM_WIDTH
    for stage, (depth, width) in enumerate(zip(depths, widths)):
        for i in range(depth):
            x = block(x, kind, width_in if i == 0 else width, width, group_width,
                      2 if i == 0 else 1, f"{name}_Stage_{stage}_{kind}Block_{i}")
        width_in = width
    x = layers.GlobalAveragePooling2D(name=name + "_head_gap")(x)
    outputs = layers.Dense(classes, activation=classifier_activation,
                           name=name + "_head_dense")(x)
    return keras.Model(inputs, outputs, name=name)


def RegNetX002(input_shape=(224, 224, 3), classes=1000, weights=None):
    """RegNetX002 (about 2.7 million parameters at 1000 classes); random weights only."""
    assert weights is None, "no pretrained weights: Keras 3 ships none for RegNet"
    return regnet(*CONFIGS["x002"], input_shape, classes, "regnetx002")


def RegNetY002(input_shape=(224, 224, 3), classes=1000, weights=None):
    """RegNetY002 (about 3.2 million parameters at 1000 classes); random weights only."""
    assert weights is None, "no pretrained weights: Keras 3 ships none for RegNet"
    return regnet(*CONFIGS["y002"], input_shape, classes, "regnety002")
