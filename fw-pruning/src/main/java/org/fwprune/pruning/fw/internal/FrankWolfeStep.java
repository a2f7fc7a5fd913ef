package org.fwprune.pruning.fw.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.check.Require;
import org.fwprune.core.model.Layer;
import org.fwprune.core.runtime.internal.Axes;
import org.fwprune.core.runtime.internal.GraphBuilder;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.runtime.internal.ScalarFeed;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.InitNorms;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.fw.SupportRule;
import org.fwprune.pruning.schedule.StepSize;
import org.fwprune.pruning.scope.PrunedLayers;
import org.fwprune.pruning.transform.GradientTransform;
import org.fwprune.pruning.transform.TransformContext;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One stochastic Frank-Wolfe step on every conv and dense kernel, as graph ops (docs/algorithms.md,
 * "Stochastic FW step"; Pokutta, Spiegel and Zimmer 2020, Algorithm 1): the minibatch gradient
 * of the training loss goes through the transform chain (e.g. the moving average) to a direction
 * {@code d}, the LMO of the kernel's constraint gives the vertex {@code v = argmin <d, v>}, and
 * {@code theta <- (1 - eta) theta + eta v} with {@code eta} from the step-size rule. The radius of
 * each constraint is relative to the kernel's Glorot initialisation:
 * {@code D = 2 tau E||W_init||}.
 *
 * <p>Every update waits for all gradients and directions (docs/tensorflow-java.md: an update racing
 * the backward pass turns training into NaN). Built once per model graph and setting.
 */
public final class FrankWolfeStep {

  /**
   * The settings that shape the step's ops.
   *
   * @param constraint feasible region of each kernel
   * @param tau radius multiplier relative to the initialisation norm
   * @param stepSize rule for eta
   * @param transforms gradient transforms, applied in order
   * @param support the vertex's number of non-zeros: the constraint's fixed {@code K}, or one
   *     that follows the pruning schedule (then {@code constraint} must be a K-sparse polytope)
   */
  public record Setting(Constraint constraint, double tau, StepSize stepSize,
      List<GradientTransform> transforms, SupportRule support, PrunedLayers pruned) {
    /** Copies the list and checks that a scheduled support comes with a K-sparse polytope. */
    public Setting {
      transforms = ImmutableList.copyOf(transforms);
      checkArgument(support != null, "support must not be null");
      checkArgument(pruned != null, "pruned layers must not be null");
      checkArgument(support == SupportRule.FIXED || constraint instanceof KSparsePolytope,
          "support %s needs a KSparsePolytope constraint, got %s", support, constraint);
    }

    /** A setting with the constraint's fixed {@code K}. */
    public Setting(Constraint constraint, double tau, StepSize stepSize,
        List<GradientTransform> transforms) {
      this(constraint, tau, stepSize, transforms, SupportRule.FIXED, PrunedLayers.ALL);
    }

    /** A setting over every kernel. */
    public Setting(Constraint constraint, double tau, StepSize stepSize,
        List<GradientTransform> transforms, SupportRule support) {
      this(constraint, tau, stepSize, transforms, support, PrunedLayers.ALL);
    }
  }

  /**
   * What a step reports.
   *
   * @param loss the training loss of the minibatch, before the step
   * @param vertexNonZeros per kernel, the non-zeros of the step's vertex
   */
  public record Outcome(float loss, long[] vertexNonZeros) {}

  private final Op op;
  private final Op reset;
  private final Operand<TFloat32> loss;
  private final ScheduledVertices scheduled;
  private final List<Operand<TFloat32>> vertexNonZeros;

  private FrankWolfeStep(Op op, Op reset, Operand<TFloat32> loss, ScheduledVertices scheduled,
      List<Operand<TFloat32>> vertexNonZeros) {
    this.op = op;
    this.reset = reset;
    this.loss = loss;
    this.scheduled = scheduled;
    this.vertexNonZeros = vertexNonZeros;
  }

  /** The step for {@code setting} on {@code graph}, built on first use. */
  public static FrankWolfeStep of(PrunableModel graph, Setting setting) {
    return graph.extension(setting, b -> build(graph, b, setting));
  }

  /**
   * Starts over at iteration 0: the step counter that schedules step sizes and momentum, and
   * with it the moving averages (whose first step takes the gradient itself). A new pruning run
   * calls it first, so no state carries over from an earlier run on the same model.
   */
  public void reset(PrunableModel graph) {
    graph.run(reset);
  }

  /**
   * Runs one step on the fed minibatch and returns its training loss (before the step). With a
   * scheduled {@link SupportRule}, use {@link #run(PrunableModel, InputBatch, double)}.
   */
  public float run(PrunableModel graph, InputBatch batch) {
    checkState(scheduled == null, "a scheduled support needs the step's sparsity: call"
        + " run(graph, batch, sparsity)");
    return graph.run(batch, List.of(op), List.of(loss))[0];
  }

  /**
   * Runs one step at the schedule's {@code sparsity}, in [0, 1], which sets a scheduled {@code
   * K} (ignored with {@link SupportRule#FIXED}), and returns the training loss before the step.
   */
  public float run(PrunableModel graph, InputBatch batch, double sparsity) {
    List<ScalarFeed> feeds = feeds(sparsity);
    return graph.run(batch, feeds, List.of(op), List.of(loss))[0];
  }

  /**
   * As {@link #run(PrunableModel, InputBatch, double)}, and also reports how many non-zeros the
   * vertex put in each kernel (the layer budgets of
   * {@link SupportRule#SCHEDULE_GLOBAL_LAYER_BUDGETS}).
   */
  public Outcome runCounting(PrunableModel graph, InputBatch batch, double sparsity) {
    List<ScalarFeed> feeds = feeds(sparsity);
    List<Operand<TFloat32>> fetches = new ArrayList<>();
    fetches.add(loss);
    fetches.addAll(vertexNonZeros);
    float[] values = graph.run(batch, feeds, List.of(op), fetches);
    long[] counts = new long[vertexNonZeros.size()];
    for (int i = 0; i < counts.length; i++) {
      // Counts below 2^24 are exact in float32; no kernel of a network here comes near.
      counts[i] = Math.round(values[i + 1]);
    }
    return new Outcome(values[0], counts);
  }

  private List<ScalarFeed> feeds(double sparsity) {
    Require.inClosed("sparsity", sparsity, 0, 1);
    return scheduled == null ? List.of() : scheduled.feeds(sparsity);
  }

  @SuppressWarnings("unchecked")
  private static FrankWolfeStep build(PrunableModel g, GraphBuilder b, Setting s) {
    Ops tf = b.tf();
    List<ModelGraph.WeightedLayer> layers = s.pruned().select(g.weightedLayers());
    Output<?>[] grads = b.gradients(g.trainLoss(), layers.stream().map(w -> w.kernel()).toList());
    String prefix = b.uniqueName("fw");
    Ops init = tf.withInitScope();
    Variable<TInt64> step = tf.withName(prefix + "_step").variable(init.constant(0L));
    List<Operand<TFloat32>> directions = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      ModelGraph.WeightedLayer w = layers.get(i);
      Operand<TFloat32> d = (Operand<TFloat32>) grads[i];
      int k = 0;
      for (GradientTransform t : s.transforms()) {
        d = t.apply(new TransformContext(tf, prefix + "_" + w.layer().name() + "_t" + (k++),
            w.kernel(), w.mask(), step), d);
      }
      directions.add(d);
    }
    List<Op> gate = new ArrayList<>();
    for (Output<?> grad : grads) {
      gate.add(grad);
    }
    gate.addAll(directions);
    Ops gated = tf.withControlDependencies(gate);
    // A step whose loss or directions are not finite leaves the kernels as they were, so a
    // diverging run stops (the pruning loop throws) with the last finite weights.
    Operand<TBool> finite = gated.reduceAll(gated.math.isFinite(g.trainLoss()),
        gated.constant(new int[0]));
    for (Operand<TFloat32> d : directions) {
      finite = gated.math.logicalAnd(finite, gated.reduceAll(gated.math.isFinite(d),
          Axes.all(gated, d)));
    }
    double[] expectedNorms = new double[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i).layer();
      expectedNorms[i] = InitNorms.glorotUniformExpectedL2Norm(layer.fanIn(), layer.fanOut(),
          Math.toIntExact(layer.kernelSize()));
    }
    ScheduledVertices scheduled = null;
    if (s.support().scheduled()) {
      double[] scale = new double[layers.size()];
      for (int i = 0; i < layers.size(); i++) {
        scale[i] = s.tau() * expectedNorms[i];
      }
      scheduled = ScheduledVertices.build(gated, s.support(), directions, scale);
    }
    List<Op> updates = new ArrayList<>();
    List<Operand<TFloat32>> nonZeros = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      ModelGraph.WeightedLayer w = layers.get(i);
      Layer layer = w.layer();
      int n = Math.toIntExact(layer.kernelSize());
      double expectedNorm = expectedNorms[i];
      double radius = s.constraint().radiusFromInit(s.tau(), expectedNorm, n);
      // A scheduled support keeps 2 tau E||W_init||, the fixed K-sparse polytope's diameter.
      double diameter = scheduled == null ? s.constraint().diameter(radius, n)
          : 2 * s.tau() * expectedNorm;
      Operand<TFloat32> d = directions.get(i);
      Operand<TFloat32> v = gated.withName(prefix + "_" + layer.name() + "_vertex")
          .identity(scheduled == null
              ? s.constraint().lmo(gated, d, gated.constant((float) radius))
              : scheduled.vertices().get(i));
      nonZeros.add(gated.sum(gated.dtypes.cast(gated.math.notEqual(v, gated.constant(0f)),
          TFloat32.class), Axes.all(gated, v)));
      Operand<TFloat32> eta = s.stepSize().eta(gated, step, norm(gated, d),
          norm(gated, gated.math.sub(w.kernel(), v)), gated.constant((float) diameter));
      Operand<TFloat32> next = gated.math.add(
          gated.math.mul(gated.math.sub(gated.constant(1f), eta), w.kernel()),
          gated.math.mul(eta, v));
      updates.add(gated.assign(w.kernel(), gated.select(finite, next, w.kernel())));
    }
    Op increment = tf.withControlDependencies(updates).assignAdd(step, tf.constant(1L));
    // BatchNorm's moving statistics follow the batches the step sees, as in any training step.
    Op op = tf.withControlDependencies(List.of(increment, g.updateStatisticsOp())).noOp();
    Op reset = tf.assign(step, tf.constant(0L));
    return new FrankWolfeStep(op, reset, g.trainLoss(), scheduled, nonZeros);
  }

  private static Operand<TFloat32> norm(Ops tf, Operand<TFloat32> x) {
    return tf.math.sqrt(tf.sum(tf.math.square(x), Axes.all(tf, x)));
  }
}
