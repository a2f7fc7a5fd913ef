/**
 * Keras model files as a user meets them: {@link org.fwprune.core.keras.KerasLimits}, the limits
 * against zip bombs and corrupt input that {@code Cnn.loadKeras} applies. The readers and writers
 * are the engine, in {@code keras.internal}.
 */
package org.fwprune.core.keras;
