/**
 * Network specification as plain data: layer specifications ({@link
 * org.fwprune.core.model.LayerSpec}), the validated layer graph ({@link
 * org.fwprune.core.model.Architecture}), shape inference and the summary table. No TensorFlow, no
 * training and no files: the floors above build graphs from it ({@code runtime}), read and write
 * it ({@code keras}, {@code store}) and wrap it for users ({@link org.fwprune.core.Cnn}).
 */
package org.fwprune.core.model;
