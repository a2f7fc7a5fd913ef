/**
 * Pruning of fwprune CNNs: {@link org.fwprune.pruning.FwPruner} (Frank-Wolfe, with and without
 * momentum) and {@link org.fwprune.pruning.MagnitudePruner} (one-shot and gradual), behind one
 * {@link org.fwprune.pruning.Pruner} interface, with a {@link org.fwprune.pruning.PruningReport}.
 */
package org.fwprune.pruning;
