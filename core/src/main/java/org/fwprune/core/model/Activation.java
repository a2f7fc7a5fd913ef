package org.fwprune.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An element-wise activation function of {@link LayerSpec.Nonlinearity}, with Keras 3's definition
 * (keras/src/activations/activations.py); the ReLU and its capped and leaky forms are {@link
 * LayerSpec.Relu} instead, the softmax {@link LayerSpec.Softmax}.
 */
public enum Activation {
  /** {@code 1 / (1 + exp(-x))}. */
  SIGMOID("sigmoid"),
  /** Keras 3's {@code relu6(x + 3) / 6}: 0 below -3, 1 above 3, linear between. */
  HARD_SIGMOID("hard_sigmoid"),
  /** {@code x sigmoid(x)} (Ramachandran et al. 2017), also called SiLU. */
  SWISH("swish", "silu"),
  /** {@code x hard_sigmoid(x)} (Howard et al. 2019, MobileNetV3), also called hard SiLU. */
  HARD_SWISH("hard_swish", "hard_silu"),
  /** The exact Gaussian error linear unit {@code x Phi(x)} (Hendrycks and Gimpel 2016). */
  GELU("gelu"),
  /** The hyperbolic tangent. */
  TANH("tanh"),
  /** {@code x} for positive x, {@code exp(x) - 1} otherwise (Clevert et al. 2016). */
  ELU("elu"),
  /** The scaled ELU of Klambauer et al. 2017, with their constants. */
  SELU("selu"),
  /** {@code x} for positive x, {@code 0.2 x} otherwise: Keras' default slope of the function. */
  LEAKY_RELU("leaky_relu");

  private final List<String> kerasNames;

  Activation(String... kerasNames) {
    this.kerasNames = List.of(kerasNames);
  }

  /** Keras' name of the function, as {@code Activation(name)} takes it. */
  public String kerasName() {
    return kerasNames.get(0);
  }

  /** The function Keras calls {@code name} ({@code swish} and {@code silu} are one), if any. */
  public static Optional<Activation> ofKerasName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(a -> a.kerasNames.contains(n)).findFirst();
  }
}
