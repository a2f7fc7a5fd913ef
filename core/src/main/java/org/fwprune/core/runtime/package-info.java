/**
 * How a model runs: session threads, precision and XLA ({@link
 * org.fwprune.core.runtime.ExecutionOptions}, {@link org.fwprune.core.runtime.Precision}), and the
 * devices TensorFlow sees ({@link org.fwprune.core.runtime.Devices}). The graph and session that
 * run the model are the engine, in {@code runtime.internal}.
 */
package org.fwprune.core.runtime;
