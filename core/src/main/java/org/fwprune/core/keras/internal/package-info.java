/**
 * Keras model files: the Keras 3 {@code .keras} archive (a zip of {@code config.json} and {@code
 * model.weights.h5}) and the legacy HDF5 {@code .h5} file, read with limits against zip bombs and
 * corrupt input, and written so that Keras 3 loads them. {@link KerasImport} and {@link
 * KerasExport} map Keras layers to and from an {@link org.fwprune.core.model.Architecture} plus weights; nothing here
 * knows of sessions or of the facade. Not exported; see docs/architecture.md.
 */
package org.fwprune.core.keras.internal;
