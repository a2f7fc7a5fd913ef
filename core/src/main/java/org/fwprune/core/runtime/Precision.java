package org.fwprune.core.runtime;

/**
 * The number format of a model's convolutions and dense products. A runtime setting of the model
 * (like its threads): it is not part of the architecture and is not saved with the model.
 */
public enum Precision {
  /** Everything in float32 (the default). */
  FLOAT32,
  /**
   * Keras' {@code mixed_bfloat16} policy (keras.io/api/mixed_precision/policy): convolution and
   * dense inputs and kernels are cast to bfloat16 for the product, whose result is cast back to
   * float32 before the bias; variables, BatchNorm, the loss and the gradients' updates stay
   * float32. bfloat16 keeps float32's exponent and 8 significant bits (about 3 decimal digits).
   * Faster only on CPUs with bfloat16 instructions (AVX512_BF16, AMX) or on GPUs;
   * docs/performance.md measures it.
   */
  BFLOAT16_MIXED
}
