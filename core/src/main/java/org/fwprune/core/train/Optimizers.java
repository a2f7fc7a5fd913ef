package org.fwprune.core.train;

/** Factory of the optimizer settings accepted by {@link Training.Builder#optimizer}. */
public final class Optimizers {

  /** Keras' default Adam first-moment decay. */
  public static final double ADAM_BETA1 = 0.9;
  /** Keras' default Adam second-moment decay. */
  public static final double ADAM_BETA2 = 0.999;
  /** Keras' default Adam epsilon. */
  public static final double ADAM_EPSILON = 1e-7;

  private Optimizers() {}

  /** Plain SGD with learning rate {@code learningRate} in (0, 10]. */
  public static OptimizerSpec sgd(double learningRate) {
    return new OptimizerSpec.Sgd(learningRate);
  }

  /** SGD with heavy-ball momentum in [0, 1). */
  public static OptimizerSpec momentum(double learningRate, double momentum) {
    return new OptimizerSpec.SgdMomentum(learningRate, momentum, false);
  }

  /** SGD with Nesterov momentum in [0, 1). */
  public static OptimizerSpec nesterov(double learningRate, double momentum) {
    return new OptimizerSpec.SgdMomentum(learningRate, momentum, true);
  }

  /** Adam with Keras' default betas and epsilon. */
  public static OptimizerSpec adam(double learningRate) {
    return new OptimizerSpec.AdamSpec(learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
  }

  /** Adam with every setting given. */
  public static OptimizerSpec adam(double learningRate, double beta1, double beta2,
      double epsilon) {
    return new OptimizerSpec.AdamSpec(learningRate, beta1, beta2, epsilon);
  }
}
