package org.fwprune.pruning.structured;

/** How {@link StructuredPruner} ranks the channels of a group (the filters or units of a layer). */
public enum SelectionMethod {
  /**
   * Greedy forward selection (Ye et al. 2020, "Good subnetworks provably exist: pruning via greedy
   * forward selection"): start from no filter and add, one per step, the candidate whose addition
   * gives the lowest minibatch loss; layers are processed input to output, each on the network
   * whose earlier layers are already pruned.
   */
  GREEDY_FORWARD,
  /**
   * Largest L1 norm of the filter's kernel first (Li et al. 2017, "Pruning filters for efficient
   * ConvNets"), each layer ranked on the original weights, independently of the others; for a
   * group of coupled channels, the norms of every producing layer are summed.
   */
  L1_NORM,
  /**
   * Largest BatchNorm scale first (network slimming, Liu et al. 2017, "Learning efficient
   * convolutional networks through network slimming"): {@code |gamma|} summed over the group's
   * BatchNorms, on the original weights. Refused for a group without a BatchNorm.
   */
  BN_SCALE
}
