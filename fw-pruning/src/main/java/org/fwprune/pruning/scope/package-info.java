/**
 * Which kernels a pruning run prunes ({@link org.fwprune.pruning.scope.PrunedLayers}) and how its
 * sparsity target is shared among them ({@link org.fwprune.pruning.scope.Scope}). These small
 * settings are read by the pruners in the root package and by the engine sub-packages ({@code
 * mask}, {@code fw}) alike; living here, below both, keeps the sub-packages from importing the
 * root package back.
 */
package org.fwprune.pruning.scope;
