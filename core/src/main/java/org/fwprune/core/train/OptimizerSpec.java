package org.fwprune.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.framework.optimizers.Optimizer;

/**
 * An optimizer setting as plain data; {@link #create(Graph)} builds the matching
 * tensorflow-framework optimizer on a model's graph. Create them with {@link Optimizers}.
 */
public sealed interface OptimizerSpec {

  /** The learning rate. */
  double learningRate();

  /** Builds the optimizer on {@code graph}; {@code name} keeps its slot variables unique. */
  Optimizer create(Graph graph, String name);

  /** Names of the optimizer's per-variable slots (state buffers that must respect masks). */
  List<String> slotNames();

  /** Plain stochastic gradient descent. */
  record Sgd(double learningRate) implements OptimizerSpec {
    /** Checks the learning rate range. */
    public Sgd {
      checkLearningRate(learningRate);
    }

    @Override
    public Optimizer create(Graph graph, String name) {
      return new GradientDescent(graph, name, (float) learningRate);
    }

    @Override
    public List<String> slotNames() {
      return List.of();
    }
  }

  /** SGD with (optionally Nesterov) momentum (Sutskever et al. 2013). */
  record SgdMomentum(double learningRate, double momentum, boolean nesterov)
      implements OptimizerSpec {
    /** Checks the ranges. */
    public SgdMomentum {
      checkLearningRate(learningRate);
      checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
    }

    @Override
    public Optimizer create(Graph graph, String name) {
      return new Momentum(graph, name, (float) learningRate, (float) momentum, nesterov);
    }

    @Override
    public List<String> slotNames() {
      return List.of(Momentum.MOMENTUM);
    }
  }

  /** Adam (Kingma and Ba 2015). */
  record AdamSpec(double learningRate, double beta1, double beta2, double epsilon)
      implements OptimizerSpec {
    /** Checks the ranges. */
    public AdamSpec {
      checkLearningRate(learningRate);
      checkArgument(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got %s", beta1);
      checkArgument(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got %s", beta2);
      checkArgument(epsilon > 0 && epsilon <= 1, "epsilon must be in (0, 1], got %s", epsilon);
    }

    @Override
    public Optimizer create(Graph graph, String name) {
      return new Adam(graph, name, (float) learningRate, (float) beta1, (float) beta2, (float) epsilon);
    }

    @Override
    public List<String> slotNames() {
      return List.of(Adam.FIRST_MOMENT, Adam.SECOND_MOMENT);
    }
  }

  private static void checkLearningRate(double lr) {
    checkArgument(lr > 0 && lr <= 10 && Double.isFinite(lr),
        "learning rate must be in (0, 10], got %s", lr);
  }
}
