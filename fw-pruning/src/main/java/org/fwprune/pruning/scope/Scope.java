package org.fwprune.pruning.scope;

/** Where a sparsity target applies. */
public enum Scope {
  /** One magnitude threshold over all pruned kernels together: layers end at different sparsities. */
  GLOBAL,
  /** Every pruned kernel reaches the target sparsity on its own. */
  PER_LAYER
}
