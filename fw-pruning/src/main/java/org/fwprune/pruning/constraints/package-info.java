/**
 * Feasible regions of Frank-Wolfe (FW) steps and the magnitude threshold that turns FW iterates
 * into sparse networks.
 *
 * <p>Each {@link org.fwprune.pruning.constraints.Constraint} is a per-tensor convex set with a
 * linear minimization oracle (LMO), {@code argmin over v in C of <g, v>}, offered twice: in plain
 * Java on {@code float[]} (easy to test against brute force) and as TensorFlow graph ops (what the
 * training graph runs). The two versions are tested against each other.
 *
 * <ul>
 *   <li>{@link org.fwprune.pruning.constraints.L1Ball}: the L1 ball, LMO = one signed vertex.
 *   <li>{@link org.fwprune.pruning.constraints.KSparsePolytope}: the K-sparse polytope, LMO =
 *       {@code -r sign(g)} on the K largest {@code |g_i|}.
 *   <li>{@link org.fwprune.pruning.constraints.KSupportNormBall}: the K-support norm ball, LMO =
 *       the K largest entries of {@code -g}, scaled to length {@code r} (Zimmer, Spiegel and
 *       Pokutta 2022).
 *   <li>{@link org.fwprune.pruning.constraints.GroupKSupportNormBall}: its group version over
 *       whole filters (output channels), LMO = the K filters of largest gradient norm, scaled to
 *       length {@code r}; the structured variant of SFW training.
 *   <li>{@link org.fwprune.pruning.constraints.L2Ball}: the L2 ball, LMO = {@code -r g /
 *       ||g||}, for biases of Frank-Wolfe-trained networks.
 *   <li>{@link org.fwprune.pruning.constraints.InitNorms}: the expected L2 norm of a layer's
 *       initial weights, from which the radius is set ({@link
 *       org.fwprune.pruning.constraints.Constraint#radiusFromInit}).
 *   <li>{@code internal.MagnitudeThreshold} (engine, not exported): 0/1 masks that zero
 *       exactly {@code round(s N)} entries, globally or per layer.
 * </ul>
 *
 * <p>Sources (docs/algorithms.md, "Sources", lists them): Jaggi, "Revisiting
 * Frank-Wolfe: projection-free sparse convex optimization", ICML 2013; Pokutta, Spiegel and Zimmer,
 * "Deep neural network training with Frank-Wolfe", 2020, and its reference code
 * ZIB-IOL/StochasticFrankWolfe ({@code frankwolfe/pytorch/constraints.py}); Zhu and Gupta, "To
 * prune, or not to prune", 2017.
 *
 * <p>Ties are broken the same way everywhere in this package: among equal magnitudes the entry with
 * the lower (flattened, row-major) index ranks first. TensorFlow's {@code TopKV2} documents the
 * same rule ("if two elements are equal, the lower-index element appears first") and its CPU kernel
 * implements it, so on CPU the Java and graph versions agree even on ties.
 */
package org.fwprune.pruning.constraints;
