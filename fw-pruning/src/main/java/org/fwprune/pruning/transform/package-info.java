/** Gradient transforms: graph-op links between a minibatch gradient and the Frank-Wolfe direction. */
package org.fwprune.pruning.transform;
