/**
 * Keras model files as files: the Keras 3 {@code .keras} archive (a zip of {@code config.json}
 * and {@code model.weights.h5}) and the legacy HDF5 {@code .h5} file, read with limits against
 * zip bombs and corrupt input, and written so that Keras 3 loads them. Knows nothing of fwprune's
 * models; {@code org.fwprune.core.model} maps Keras layers to its own.
 */
package org.fwprune.core.keras;
