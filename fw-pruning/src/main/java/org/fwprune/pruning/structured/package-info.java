/**
 * Structured pruning: remove whole conv filters and hidden dense units, and build a physically
 * smaller {@link org.fwprune.core.Cnn} that runs faster.
 *
 * <p>{@link org.fwprune.pruning.structured.StructuredPruner} chooses the filters to keep with
 * greedy forward selection (Ye et al. 2020; Wolfe et al. 2023: Frank-Wolfe over the convex hull of
 * a layer's filter contributions, one filter per step) or by the L1 norm of each filter (Li et al.
 * 2017), then {@link org.fwprune.pruning.structured.FilterSurgery} copies the kept weights into a
 * smaller architecture, which is fine-tuned. {@link org.fwprune.pruning.structured.Flops} counts
 * multiply-adds and {@link org.fwprune.core.eval.InferenceTimer} measures inference time.
 * {@link org.fwprune.pruning.structured.KeepRule#flops(double)} spends its multiply-add budget
 * where a {@link org.fwprune.pruning.structured.LatencyTable} measured on the machine says the
 * time goes (NetAdapt, Yang et al. 2018; HALP, Shen et al. 2022).
 */
package org.fwprune.pruning.structured;
