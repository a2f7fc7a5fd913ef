/**
 * The engine: the stochastic Frank-Wolfe step on a model's kernels, as graph ops, and its
 * scheduled vertices. Not exported; see docs/architecture.md.
 */
package org.fwprune.pruning.fw.internal;
