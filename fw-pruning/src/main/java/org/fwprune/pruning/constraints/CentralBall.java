package org.fwprune.pruning.constraints;

import static org.fwprune.pruning.constraints.Checks.checkDiameter;
import static org.fwprune.pruning.constraints.Checks.checkDimension;
import static org.fwprune.pruning.constraints.Checks.checkRadius;

/**
 * Balls whose L2 diameter is twice the radius in every dimension (the L1 ball, the L2 ball, the
 * K-support norm ball and its group version: {@code +-r e_1} are two of their farthest points).
 */
sealed interface CentralBall extends Constraint
    permits L1Ball, L2Ball, KSupportNormBall, GroupKSupportNormBall {

  /** {@code 2r}. */
  @Override
  default double diameter(double radius, int n) {
    checkRadius(radius);
    checkDimension(n);
    return 2.0 * radius;
  }

  /** {@code D / 2}. */
  @Override
  default double radiusForDiameter(double diameter, int n) {
    checkDiameter(diameter);
    checkDimension(n);
    return diameter / 2.0;
  }
}
