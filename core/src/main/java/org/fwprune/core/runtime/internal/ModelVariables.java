package org.fwprune.core.runtime.internal;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerVariable;
import org.tensorflow.Operand;
import org.tensorflow.framework.initializers.RandomUniform;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of a model's graph: every layer tensor (initialised as Keras does), a 0/1 mask
 * per kernel, and an assign op per variable. The assign ops are built with the variables, so
 * writing a variable later never changes the graph.
 */
final class ModelVariables {

  /** A placeholder and the op that assigns it to one variable. */
  record Assigner(Placeholder<TFloat32> value, Op assign, Shape shape) {
    /** A tensor of the variable's shape holding {@code values}; checks their number. */
    TFloat32 tensorOf(String key, float[] values) {
      checkLength(key, values);
      TFloat32 t = TFloat32.tensorOf(shape);
      t.asRawTensor().data().asFloats().write(values);
      return t;
    }

    /** Checks that {@code values} has exactly the variable's number of entries. */
    void checkLength(String key, float[] values) {
      checkArgument(values != null && values.length == shape.size(),
          "%s has %s entries %s, got %s values", key, shape.size(), shape,
          values == null ? "no" : values.length);
    }
  }

  private static final long[] STATISTICS_UPDATES_DIMS = {1};

  private final Map<String, Variable<TFloat32>> variables;
  private final Map<String, Assigner> assigners;
  private final List<ModelGraph.WeightedLayer> weighted;
  private final List<Variable<TFloat32>> trainable;

  private ModelVariables(Map<String, Variable<TFloat32>> variables,
      Map<String, Assigner> assigners, List<ModelGraph.WeightedLayer> weighted,
      List<Variable<TFloat32>> trainable) {
    this.variables = ImmutableMap.copyOf(variables);
    this.assigners = ImmutableMap.copyOf(assigners);
    this.weighted = ImmutableList.copyOf(weighted);
    this.trainable = ImmutableList.copyOf(trainable);
  }

  /** Creates every variable of {@code architecture} on the graph of {@code tf}. */
  static ModelVariables create(Ops tf, Architecture architecture) {
    Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
    Map<String, Assigner> assigners = new LinkedHashMap<>();
    List<ModelGraph.WeightedLayer> weighted = new ArrayList<>();
    List<Variable<TFloat32>> trainable = new ArrayList<>();
    Ops init = tf.withInitScope();
    int kernelIndex = 0;
    for (Layer layer : architecture.resolvedLayers()) {
      for (LayerVariable lv : layer.variables()) {
        Operand<TFloat32> value = lv.role() == LayerVariable.Role.KERNEL
            ? glorotUniform(init, layer, lv, architecture.seed(), kernelIndex++)
            : init.fill(init.constant(lv.dims()), init.constant(lv.role().start()));
        // Flat op names, "<layer>_<role>": readable in TensorBoard and free of '/'.
        Variable<TFloat32> v = tf.withName(layer.name() + "_" + lv.role().suffix())
            .variable(value);
        vars.put(lv.key(), v);
        assigners.put(lv.key(), assigner(tf, v, lv.dims()));
        if (lv.role().trainable()) {
          trainable.add(v);
        }
      }
      if (layer.spec().hasKernel()) {
        long[] dims = layer.kernelShape().stream().mapToLong(Long::longValue).toArray();
        Variable<TFloat32> mask = tf.withName(layer.name() + "_mask")
            .variable(init.fill(init.constant(dims), init.constant(1f)));
        String key = ModelGraph.maskKey(layer);
        vars.put(key, mask);
        assigners.put(key, assigner(tf, mask, dims));
        weighted.add(new ModelGraph.WeightedLayer(layer, vars.get(layer.kernelKey()), mask));
      }
    }
    if (architecture.debiasesBatchNorm()) {
      // How many times the moving statistics have moved (LayerSpec.BatchNorm's debiasing): model
      // state like the statistics themselves, so it is saved, loaded and copied with them.
      Variable<TFloat32> updates = tf.withName("batchnorm_updates")
          .variable(init.zeros(init.constant(STATISTICS_UPDATES_DIMS), TFloat32.class));
      vars.put(ModelGraph.STATISTICS_UPDATES_KEY, updates);
      assigners.put(ModelGraph.STATISTICS_UPDATES_KEY,
          assigner(tf, updates, STATISTICS_UPDATES_DIMS));
    }
    return new ModelVariables(vars, assigners, weighted, trainable);
  }

  /**
   * Glorot uniform (Glorot and Bengio 2010), limit sqrt(6 / (fan_in + fan_out)). The framework's
   * Glorot class computes the fans of HWIO conv kernels wrongly (limit 0.015 instead of 0.083 for
   * the paper's conv2d_2), so the limit is computed here from the layer and drawn with the
   * framework's RandomUniform. Each kernel gets its own deterministic stream derived from the
   * model seed and its position among the kernels.
   */
  private static Operand<TFloat32> glorotUniform(Ops init, Layer layer, LayerVariable lv,
      long seed, int kernelIndex) {
    double limit = Math.sqrt(6.0 / (layer.fanIn() + layer.fanOut()));
    RandomUniform<TFloat32> u = new RandomUniform<>(-limit, limit,
        seed * 1_000_003L + kernelIndex);
    return u.call(init, init.constant(lv.dims()), TFloat32.class);
  }

  private static Assigner assigner(Ops tf, Variable<TFloat32> v, long[] dims) {
    Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
    return new Assigner(p, tf.assign(v, p), Shape.of(dims));
  }

  Variable<TFloat32> variable(String key) {
    Variable<TFloat32> v = variables.get(key);
    checkArgument(v != null, "no variable %s; known: %s", key, variables.keySet());
    return v;
  }

  Assigner assigner(String key) {
    variable(key);
    return assigners.get(key);
  }

  List<String> keys() {
    return ImmutableList.copyOf(variables.keySet());
  }

  List<ModelGraph.WeightedLayer> weighted() {
    return weighted;
  }

  List<Variable<TFloat32>> trainable() {
    return trainable;
  }

  static float[] copy(TFloat32 t) {
    float[] values = new float[Math.toIntExact(t.size())];
    t.asRawTensor().data().asFloats().read(values);
    return values;
  }
}
