/**
 * Stochastic Frank-Wolfe (SFW) as the training method: {@link org.fwprune.pruning.sfw.SfwTrainer}
 * trains a network inside one constraint per tensor (K-sparse polytope, K-support norm ball, L2
 * ball) so that magnitude pruning afterwards needs no retraining (Lu et al. 2022; Zimmer, Spiegel
 * and Pokutta 2022). Everything that touches the model's graph lives in the package-private
 * {@code SfwGraph}; docs/sfw.md has the method and the measurements.
 */
package org.fwprune.pruning.sfw;
