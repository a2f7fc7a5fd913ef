package org.fwprune.pruning.constraints;

import static org.fwprune.core.testing.FloatAsserts.GRAPH_TOLERANCE;
import static org.fwprune.core.testing.FloatAsserts.assertClose;
import static org.fwprune.pruning.constraints.GraphTesting.constant;
import static org.fwprune.pruning.constraints.GraphTesting.dot;
import static org.fwprune.pruning.constraints.GraphTesting.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link L2Ball}: LMO optimality (Cauchy-Schwarz), graph against Java, membership. */
class L2BallTest {

  @Test
  void lmo_valueIsMinusRadiusTimesNorm() {
    // Cauchy-Schwarz: min over ||v|| <= r of <g, v> is -r ||g||; g = (3, -4) gives -5 r.
    float[] g = {3, -4};
    assertEquals(-5 * 0.5, dot(g, L2Ball.create().lmo(g, 0.5)), 1e-6);
  }

  @Test
  void lmo_isNoWorseThanRandomPointsOfTheBall() {
    Random random = new Random(2);
    for (int trial = 0; trial < 200; trial++) {
      float[] g = gaussian(random, 10);
      float[] x = gaussian(random, 10);
      double scale = 0.9 / L2Scaling.norm(x, "x");
      for (int i = 0; i < x.length; i++) {
        x[i] *= (float) scale;
      }
      assertTrue(dot(g, L2Ball.create().lmo(g, 0.9)) <= dot(g, x) + 1e-6);
    }
  }

  @Test
  void lmo_zeroGradient_givesZeroVector() {
    assertArrayEquals(new float[3], L2Ball.create().lmo(new float[3], 1.0));
  }

  @Test
  void lmo_graph_matchesJava() {
    float[] g = gaussian(new Random(7), 12);
    float[] graph = GraphTesting.runOne(
        tf -> L2Ball.create().lmo(tf, constant(tf, g, 3, 4), tf.constant(0.7f)));
    assertClose(L2Ball.create().lmo(g, 0.7), graph, GRAPH_TOLERANCE);
  }

  @Test
  void contains_boundaryWithinTolerance() {
    assertTrue(L2Ball.create().contains(new float[] {3, 4}, 5.0, 0));
    assertFalse(L2Ball.create().contains(new float[] {3, 4.1f}, 5.0, 1e-3));
  }
}
