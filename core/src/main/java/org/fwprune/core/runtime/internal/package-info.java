/**
 * The engine: the owner of a model's TensorFlow graph and session ({@link
 * org.fwprune.core.runtime.internal.ModelGraph}), the forward pass, variables and feeds, the
 * pruner interface ({@link org.fwprune.core.runtime.internal.PrunableModel}) and SavedModel
 * export. Exported only to fw-pruning's module; see docs/architecture.md.
 */
package org.fwprune.core.runtime.internal;
