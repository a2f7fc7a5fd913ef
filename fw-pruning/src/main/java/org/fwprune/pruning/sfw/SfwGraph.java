package org.fwprune.pruning.sfw;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.runtime.internal.Axes;
import org.fwprune.core.runtime.internal.GraphBuilder;
import org.fwprune.core.runtime.internal.InputBatch;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.runtime.internal.ScalarFeed;
import org.fwprune.core.train.internal.BatchSampler;
import org.fwprune.pruning.constraints.Constraint;
import org.fwprune.pruning.constraints.GroupKSupportNormBall;
import org.fwprune.pruning.constraints.InitNorms;
import org.fwprune.pruning.structured.ChannelGroups;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The one place where SFW training touches the model's internals (graph, variables, gradients,
 * masks, session): it builds the stochastic Frank-Wolfe step as graph ops, once per model and
 * set of constraints, and runs it on minibatches. Porting SFW to another model interface means
 * rewriting this class only; {@link SfwTrainer} sees learning rate, momentum and tau in, loss out.
 *
 * <p>Per trainable tensor {@code theta} (each kernel and each bias), with minibatch gradient
 * {@code g} of the training loss (docs/algorithms.md, "SFW as the training method"; Pokutta, Spiegel and Zimmer
 * 2020, Algorithm 1 with gradient rescaling):
 *
 * <pre>
 *   m   = g on the first step of a run, else rho m + w g  (w = 1 - rho, or 1: MomentumConvention)
 *   v   = LMO_C(m) with radius r = tau r_1   (r_1: the radius for tau = 1, from E||W_init||)
 *   eta = clip(lr ||m|| / ||theta - v||, 0, 1)
 *   theta = theta + eta (v - theta)
 * </pre>
 *
 * Learning rate, momentum and tau are fed per run, and {@link #open} zeroes the momentum buffers
 * and the step counter, so every fit starts fresh and repeated fits add no ops. A step whose loss
 * or gradients are not finite changes nothing. Every update waits for every gradient: an update
 * racing the backward pass turns training into NaN.
 *
 * <p>The kernels of coupled channels in one group K-support ball take the step as one vector:
 * one LMO over their stacked channels, one {@code eta} (see {@code blocks}).
 *
 * <p>Graph networks: every trainable tensor takes part, kernels in the kernel constraint, biases
 * and BatchNorm's scales and offsets in the bias constraint (a scale's radius from its initial
 * norm, sqrt(channels)); BatchNorm's moving statistics are updated in the same run as the step.
 */
final class SfwGraph implements AutoCloseable {

  /** What one step measured. */
  record Outcome(float loss, float correct, int count, boolean finite) {}

  private final PrunableModel graph;
  private final StepOps ops;
  private final ModelGraph.Lease lease;
  private final BatchSampler sampler;
  private final InputBatch batch;

  private SfwGraph(PrunableModel graph, StepOps ops, ModelGraph.Lease lease, BatchSampler sampler,
      InputBatch batch) {
    this.graph = graph;
    this.ops = ops;
    this.lease = lease;
    this.sampler = sampler;
    this.batch = batch;
  }

  /** The ops of one model and set of constraints, built once. */
  private record StepOps(Placeholder<TFloat32> learningRate, Placeholder<TFloat32> momentum,
      Placeholder<TFloat32> gradientWeight, Placeholder<TFloat32> tau, Op step, Op reset,
      Operand<TFloat32> finite) {}

  private record Key(Constraint kernels, Constraint dense, Constraint biases) {}

  /**
   * Takes exclusive use of {@code model}, builds (or reuses) the step and zeroes its state.
   *
   * @throws IllegalArgumentException if the data does not fit the model
   * @throws IllegalStateException if the model has pruning masks (SFW would regrow pruned weights)
   *     or another thread is training or pruning it
   */
  static SfwGraph open(Cnn model, Dataset train, Dataset validation, int batchSize, long seed,
      Constraint kernels, Constraint dense, Constraint biases) {
    PrunableModel g = model.prunable();
    g.checkCompatible(train, "training data");
    if (validation != null) {
      g.checkCompatible(validation, "validation data");
    }
    if (g.masksActive()) {
      throw new IllegalStateException("SFW training needs a dense model, but this one has"
          + " pruning masks (it was pruned); train a fresh model or a copy made before pruning");
    }
    ModelGraph.Lease lease = g.exclusive("train with SFW");
    try {
      StepOps ops = g.extension(new Key(kernels, dense, biases),
          b -> build(g, b, kernels, dense, biases));
      g.run(ops.reset());
      BatchSampler sampler = new BatchSampler(train, batchSize, true, seed);
      return new SfwGraph(g, ops, lease, sampler, sampler.newBatch());
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /** Minibatches per pass over the training data. */
  int stepsPerEpoch() {
    return sampler.stepsPerEpoch();
  }

  /**
   * Takes the next minibatch and runs one SFW step on it; the buffer becomes {@code momentum m +
   * gradientWeight g} ({@link MomentumConvention#gradientWeight}).
   */
  Outcome step(double learningRate, double momentum, double gradientWeight, double tau) {
    int count = sampler.next(batch);
    List<ScalarFeed> feeds = List.of(new ScalarFeed(ops.learningRate(), learningRate),
        new ScalarFeed(ops.momentum(), momentum),
        new ScalarFeed(ops.gradientWeight(), gradientWeight), new ScalarFeed(ops.tau(), tau));
    float[] r = graph.run(batch, feeds, List.of(ops.step()),
        List.of(graph.trainLoss(), graph.trainCorrect(), ops.finite()));
    return new Outcome(r[0], r[1], count, r[2] == 1f && Float.isFinite(r[0]));
  }

  @Override
  public void close() {
    batch.close();
    lease.close();
  }

  /**
   * Tensors that take one Frank-Wolfe step as one vector: a single tensor, or the kernels of the
   * producers of one channel group in the same group K-support ball (see {@link #blocks}).
   *
   * @param members indices into the step's variables
   * @param constraint the constraint of the joint vector
   * @param unitRadius its radius for {@code tau = 1}
   */
  private record Block(List<Integer> members, Constraint constraint, double unitRadius) {}

  /** One trainable tensor with its constraint and expected initial L2 norm. */
  private record Tensor(Variable<TFloat32> variable, String layer, boolean kernel,
      Constraint constraint, double expectedNorm, int size) {
    /** Whether it is a kernel whose channels a group K-support ball ranks. */
    boolean inGroupBall() {
      return kernel && constraint instanceof GroupKSupportNormBall;
    }
  }

  /** A block's key: a channel group's name and its ball, or a lone tensor's index. */
  private record BlockKey(Object id, Constraint constraint) {}

  @SuppressWarnings("unchecked")
  private static StepOps build(PrunableModel g, GraphBuilder b, Constraint kernels,
      Constraint dense, Constraint biases) {
    Ops tf = b.tf();
    List<Tensor> tensors = tensors(g, kernels, dense, biases);
    List<Variable<TFloat32>> vars = tensors.stream().map(Tensor::variable).toList();
    Placeholder<TFloat32> lr = scalar(tf);
    Placeholder<TFloat32> rho = scalar(tf);
    Placeholder<TFloat32> weight = scalar(tf);
    Placeholder<TFloat32> tau = scalar(tf);
    Output<?>[] grads = b.gradients(g.trainLoss(), vars);
    List<Operand<TFloat32>> terms = new ArrayList<>();
    terms.add(g.trainLoss());
    for (int i = 0; i < grads.length; i++) {
      terms.add(tf.sum((Operand<TFloat32>) grads[i], Axes.all(tf, vars.get(i))));
    }
    Operand<TBool> finite = tf.math.isFinite(tf.math.addN(terms));
    Ops init = tf.withInitScope();
    Variable<TInt64> counter = tf.withName(b.uniqueName("sfw_step")).variable(init.constant(0L));
    Operand<TBool> first = tf.math.equal(counter, tf.constant(0L));
    List<Op> computed = new ArrayList<>();
    for (Output<?> grad : grads) {
      computed.add(grad);
    }
    List<Variable<TFloat32>> buffers = new ArrayList<>();
    List<Operand<TFloat32>> nextBuffers = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable<TFloat32> theta = vars.get(i);
      Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
      Variable<TFloat32> m = tf.withName(b.uniqueName("sfw_momentum")).variable(
          init.zeros(init.constant(theta.shape().asArray()), TFloat32.class));
      // m_1 = g_1 (the first step takes the gradient, not a decayed zero buffer).
      buffers.add(m);
      nextBuffers.add(tf.select(first, grad, tf.math.add(tf.math.mul(rho, m),
          tf.math.mul(weight, grad))));
    }
    // Every entry is replaced below: each tensor belongs to exactly one block.
    List<Operand<TFloat32>> nextWeights = new ArrayList<>(vars);
    for (Block block : blocks(g, tensors)) {
      List<Operand<TFloat32>> blended = block.members().stream().map(nextBuffers::get).toList();
      Operand<TFloat32> radius = tf.math.mul(tau, tf.constant((float) block.unitRadius()));
      List<Operand<TFloat32>> v = block.members().size() == 1
          ? List.of(block.constraint().lmo(tf, blended.get(0), radius))
          : ((GroupKSupportNormBall) block.constraint()).lmo(tf, blended, radius);
      List<Operand<TFloat32>> gaps = new ArrayList<>();
      for (int j = 0; j < v.size(); j++) {
        gaps.add(tf.math.sub(v.get(j), vars.get(block.members().get(j))));
      }
      // One step size for the block: its tensors are one vector of the ball.
      Operand<TFloat32> eta = tf.math.minimum(tf.constant(1f), tf.math.maximum(tf.constant(0f),
          tf.math.divNoNan(tf.math.mul(lr, norm(tf, blended)), norm(tf, gaps))));
      for (int j = 0; j < v.size(); j++) {
        int i = block.members().get(j);
        nextWeights.set(i, tf.math.add(vars.get(i), tf.math.mul(eta, gaps.get(j))));
      }
    }
    computed.addAll(nextBuffers);
    computed.addAll(nextWeights);
    Ops gated = tf.withControlDependencies(computed);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      updates.add(gated.assign(vars.get(i), gated.select(finite, nextWeights.get(i), vars.get(i))));
      updates.add(gated.assign(buffers.get(i),
          gated.select(finite, nextBuffers.get(i), buffers.get(i))));
    }
    // BatchNorm's moving statistics follow the batches, as in every training step.
    updates.add(g.updateStatisticsOp());
    Op step = tf.withControlDependencies(updates).assignAdd(counter,
        tf.select(finite, tf.constant(1L), tf.constant(0L)));
    List<Op> resets = new ArrayList<>();
    resets.add(tf.assign(counter, tf.constant(0L)));
    for (Variable<TFloat32> m : buffers) {
      resets.add(tf.assign(m, tf.zerosLike(m)));
    }
    Op reset = tf.withControlDependencies(resets).noOp();
    return new StepOps(lr, rho, weight, tau, step, reset, tf.dtypes.cast(finite, TFloat32.class));
  }

  /** Every trainable tensor in layer order, with its constraint and expected initial norm. */
  private static List<Tensor> tensors(PrunableModel g, Constraint kernels, Constraint dense,
      Constraint biases) {
    List<Tensor> out = new ArrayList<>();
    for (Layer layer : g.architecture().resolvedLayers()) {
      for (LayerVariable lv : layer.variables()) {
        if (!lv.role().trainable()) {
          continue;
        }
        int n = Math.toIntExact(lv.size());
        double expected = switch (lv.role()) {
          case KERNEL -> InitNorms.glorotUniformExpectedL2Norm(layer.fanIn(), layer.fanOut(),
              layer.kernelSize());
          // BatchNorm's scale starts at ones: its initial norm is sqrt(channels).
          case GAMMA -> Math.sqrt(n);
          // Offsets start at zero; see expectedBiasNorm.
          default -> expectedBiasNorm(layer, n);
        };
        boolean kernel = lv.role() == LayerVariable.Role.KERNEL;
        Constraint c = !kernel ? biases
            : layer.spec() instanceof LayerSpec.Dense ? dense : kernels;
        out.add(new Tensor(g.variable(lv.key()), layer.name(), kernel, c, expected, n));
      }
    }
    return out;
  }

  /**
   * The tensors grouped into blocks. A kernel in a group K-support ball joins the other producers
   * of its channel group ({@link ChannelGroups}: the convolutions whose outputs a residual
   * addition sums) that are in the same ball, so that the ball ranks each coupled channel by its
   * norm over all of them and they keep the same filters, the sets {@code StructuredPruner} cuts
   * together. Zimmer, Spiegel and Pokutta (2022) group the filters of one layer; joining coupled
   * layers is this library's extension for residual networks (docs/sfw.md). The joint radius
   * comes from the joint expected initial norm, {@code sqrt(sum E||W_i||^2)}. Every other tensor
   * is a block of its own.
   */
  private static List<Block> blocks(PrunableModel g, List<Tensor> tensors) {
    // Channel groups are found only when a group ball needs them.
    ChannelGroups channels = tensors.stream().anyMatch(Tensor::inGroupBall)
        ? ChannelGroups.of(g.architecture()) : null;
    Map<BlockKey, List<Integer>> joined = new LinkedHashMap<>();
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      Optional<ChannelGroups.Group> group = t.inGroupBall()
          ? channels.groupOf(t.layer()) : Optional.empty();
      BlockKey key = new BlockKey(group.<Object>map(ChannelGroups.Group::name).orElse(i),
          t.constraint());
      joined.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    List<Block> out = new ArrayList<>();
    for (List<Integer> members : joined.values()) {
      Constraint c = tensors.get(members.get(0)).constraint();
      // A lone tensor keeps its expected norm as computed: sqrt(x^2) may differ from x in the
      // last bit, which would move the radius of every existing run.
      if (members.size() == 1) {
        Tensor t = tensors.get(members.get(0));
        out.add(new Block(members, c, c.radiusFromInit(1.0, t.expectedNorm(), t.size())));
        continue;
      }
      double squares = 0;
      int size = 0;
      for (int i : members) {
        squares += Math.pow(tensors.get(i).expectedNorm(), 2);
        size += tensors.get(i).size();
      }
      out.add(new Block(members, c, c.radiusFromInit(1.0, Math.sqrt(squares), size)));
    }
    return out;
  }

  /**
   * {@code E||b_init||} of a bias as the reference codes (PyTorch) initialise it, {@code U(-1 /
   * sqrt(fan_in), 1 / sqrt(fan_in))}: this library starts biases at zero, which would give a zero
   * radius, so the bias constraint's scale follows the reference codes' initialiser (Lu et al.
   * 2022, VITA-Group/SFW-Once-for-All-Pruning, radius mode 'initialization').
   */
  private static double expectedBiasNorm(Layer layer, int size) {
    // A BatchNorm's offset has no fan-in of its own: each channel normalises one input channel.
    long fanIn = layer.spec().hasKernel() ? layer.fanIn() : 1;
    checkArgument(fanIn >= 1, "layer %s has no inputs", layer.name());
    return InitNorms.uniformExpectedL2Norm(1.0 / Math.sqrt(fanIn), size);
  }

  private static Placeholder<TFloat32> scalar(Ops tf) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  /** The L2 norm of {@code xs} read as one vector. */
  private static Operand<TFloat32> norm(Ops tf, List<Operand<TFloat32>> xs) {
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (Operand<TFloat32> x : xs) {
      squares.add(tf.sum(tf.math.square(x), Axes.all(tf, x)));
    }
    return tf.math.sqrt(squares.size() == 1 ? squares.get(0) : tf.math.addN(squares));
  }
}
