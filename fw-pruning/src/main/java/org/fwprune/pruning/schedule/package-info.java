/**
 * Schedules of the Frank-Wolfe pruning loop, as functions of the step {@code t = 0, 1, ...}:
 *
 * <ul>
 *   <li>{@link org.fwprune.pruning.schedule.StepSize}: the FW step {@code eta_t} in [0, 1] (classic
 *       {@code 2/(t+2)}, fixed, gradient- or diameter-rescaled), in plain Java and as graph ops;
 *   <li>{@link org.fwprune.pruning.schedule.SparsitySchedule}: the target sparsity (constant, or
 *       the cubic ramp of Zhu and Gupta 2017);
 *   <li>{@link org.fwprune.pruning.schedule.MomentumSchedule}: the momentum factor of the FW
 *       direction (constant, or a decaying weight on new gradients).
 * </ul>
 *
 * <p>All are immutable records behind sealed interfaces; their factories check every argument and
 * name the allowed range in the {@code IllegalArgumentException} message. Sources: Jaggi 2013;
 * Pokutta, Spiegel and Zimmer 2020 and their code ZIB-IOL/StochasticFrankWolfe; Zhu and Gupta 2017
 * (docs/algorithms.md, "Sources", lists them).
 */
package org.fwprune.pruning.schedule;
