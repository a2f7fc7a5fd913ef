/**
 * The engine of evaluation: accuracy, mean cross-entropy and predictions computed on a model's
 * graph in large batches. Not exported; see docs/architecture.md.
 */
package org.fwprune.core.eval.internal;
