/**
 * The engine of training: the training loop, the optimizer step as graph ops, batch sampling and
 * prefetching, BatchNorm re-estimation. Exported only to fw-pruning's module; see
 * docs/architecture.md.
 */
package org.fwprune.core.train.internal;
