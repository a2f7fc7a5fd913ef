/**
 * The catalogue of pruning methods: {@link org.fwprune.pruning.catalogue.PruningMethod} lists
 * every method once and builds its pruner from typed {@link
 * org.fwprune.pruning.catalogue.MethodSettings}, so the {@code prune} command and the studies
 * cannot drift apart. It sits above the root package (it builds the root's pruners); nothing else
 * in fw-pruning imports it ({@code ArchitectureTest} checks this).
 */
package org.fwprune.pruning.catalogue;
