package org.fwprune.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.fwprune.core.check.Require;

/**
 * An optimizer setting as plain data; {@link TrainStep} builds one update per kind of optimizer
 * and feeds these values at every step, so settings can change from run to run without growing
 * the graph. Create them with {@link Optimizers}. Code that treats the kinds differently goes
 * through {@link #accept(Visitor)}, so adding a kind fails to compile until every such place
 * handles it.
 */
public sealed interface OptimizerSpec {

  /** Calls the {@code visitor} method for this kind of optimizer. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per kind of optimizer: what {@link TrainStep} implements to pick the update, in
   * place of an {@code instanceof} chain that would fail only at run time for a new kind.
   *
   * @param <R> what the visit returns
   */
  interface Visitor<R> {
    /** Visits plain SGD. */
    R sgd(Sgd spec);

    /** Visits SGD with momentum, Nesterov's or not. */
    R momentum(SgdMomentum spec);

    /** Visits Adam. */
    R adam(AdamSpec spec);
  }

  /** The learning rate. */
  double learningRate();

  /**
   * The values fed to the update at each step, in the order its placeholders take: the learning
   * rate first.
   */
  List<Double> values();

  /** Plain stochastic gradient descent. */
  record Sgd(double learningRate) implements OptimizerSpec {
    /** Checks the learning rate range. */
    public Sgd {
      checkLearningRate(learningRate);
    }

    @Override
    public List<Double> values() {
      return List.of(learningRate);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.sgd(this);
    }
  }

  /** SGD with (optionally Nesterov) momentum (Sutskever et al. 2013). */
  record SgdMomentum(double learningRate, double momentum, boolean nesterov)
      implements OptimizerSpec {
    /** Checks the ranges. */
    public SgdMomentum {
      checkLearningRate(learningRate);
      Require.inClosedOpen("momentum", momentum, 0, 1);
    }

    @Override
    public List<Double> values() {
      return List.of(learningRate, momentum);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.momentum(this);
    }
  }

  /** Adam (Kingma and Ba 2015). */
  record AdamSpec(double learningRate, double beta1, double beta2, double epsilon)
      implements OptimizerSpec {
    /** Checks the ranges. */
    public AdamSpec {
      checkLearningRate(learningRate);
      Require.inClosedOpen("beta1", beta1, 0, 1);
      Require.inClosedOpen("beta2", beta2, 0, 1);
      Require.inOpenClosed("epsilon", epsilon, 0, 1);
    }

    @Override
    public List<Double> values() {
      return List.of(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.adam(this);
    }
  }

  private static void checkLearningRate(double lr) {
    checkArgument(lr > 0 && lr <= 10 && Double.isFinite(lr),
        "learning rate must be in (0, 10], got %s", lr);
  }
}
