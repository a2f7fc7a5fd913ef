/** The stochastic Frank-Wolfe step on a model's kernels, as graph ops. */
package org.fwprune.pruning.fw;
