/**
 * Pruning of fwprune CNNs: {@link org.fwprune.pruning.FwPruner} (Frank-Wolfe, with and without
 * momentum) and {@link org.fwprune.pruning.MagnitudePruner} (one-shot and gradual), behind one
 * {@link org.fwprune.pruning.Pruner} interface, with a {@link org.fwprune.pruning.PruningReport}
 * whose per-kernel rows {@link org.fwprune.pruning.SparsityMeter} counts. The root is the module's
 * top floor: it uses the sub-packages ({@code constraints}, {@code fw}, {@code mask}, {@code
 * schedule}, {@code scope}, {@code sfw}, {@code structured}, {@code transform}) and none of them
 * imports it back ({@code ArchitectureTest} checks this).
 */
package org.fwprune.pruning;
