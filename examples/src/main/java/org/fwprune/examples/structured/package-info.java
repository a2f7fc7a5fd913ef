/**
 * The structured-pruning study of docs/structured.md on ResNet-20: the three channel-selection
 * methods at equal FLOPs against unstructured gradual magnitude pruning, with accuracy and
 * measured inference speed-up, resumable and shardable by seed.
 */
package org.fwprune.examples.structured;
