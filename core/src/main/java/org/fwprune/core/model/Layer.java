package org.fwprune.core.model;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of a built architecture with everything derived from its place in the graph: the shape
 * it outputs (per example, batch excluded) and, for convolutions and dense layers, the kernel
 * shape.
 *
 * @param name unique name such as {@code conv2d_1}; parameters are keyed {@code name/kernel}
 * @param spec the layer's definition
 * @param inputs names of the nodes it reads ({@value Architecture#INPUT} for the model input)
 * @param outputShape per-example output shape: {@code [h, w, c]} or {@code [n]}
 * @param kernelShape kernel shape ({@code [k, k, in, out]} or {@code [in, out]}), empty if none
 */
public record Layer(String name, LayerSpec spec, List<String> inputs, List<Integer> outputShape,
    List<Long> kernelShape) {

  /** Copies the lists so the record is immutable. */
  public Layer {
    inputs = ImmutableList.copyOf(inputs);
    outputShape = ImmutableList.copyOf(outputShape);
    kernelShape = ImmutableList.copyOf(kernelShape);
  }

  /** Number of kernel entries, 0 for layers without a kernel. */
  public long kernelSize() {
    return kernelShape.isEmpty() ? 0 : kernelShape.stream().reduce(1L, (a, b) -> a * b);
  }

  /** Output channels (or units): the size of the output's last axis. */
  public int channels() {
    return outputShape.get(outputShape.size() - 1);
  }

  /** Number of bias entries, 0 for layers without a bias. */
  public long biasSize() {
    return spec.hasBias() ? channels() : 0;
  }

  /**
   * The tensors the layer owns, in a fixed order (Keras' own): kernel, bias, BatchNorm's four,
   * LayerNormalization's gamma and beta, LayerScale's gamma, PReLU's alpha, or Normalization's mean
   * and variance.
   */
  public List<LayerVariable> variables() {
    List<LayerVariable> out = new ArrayList<>();
    if (spec.hasKernel()) {
      out.add(variable(LayerVariable.Role.KERNEL, kernelShape));
    }
    if (spec.hasBias()) {
      out.add(variable(LayerVariable.Role.BIAS, List.of((long) channels())));
    }
    if (spec instanceof LayerSpec.BatchNorm) {
      List<Long> c = List.of((long) channels());
      out.add(variable(LayerVariable.Role.GAMMA, c));
      out.add(variable(LayerVariable.Role.BETA, c));
      out.add(variable(LayerVariable.Role.MOVING_MEAN, c));
      out.add(variable(LayerVariable.Role.MOVING_VARIANCE, c));
    }
    if (spec instanceof LayerSpec.LayerNorm) {
      List<Long> c = List.of((long) channels());
      out.add(variable(LayerVariable.Role.GAMMA, c));
      out.add(variable(LayerVariable.Role.BETA, c));
    }
    if (spec instanceof LayerSpec.LayerScale) {
      out.add(variable(LayerVariable.Role.GAMMA, List.of((long) channels())));
    }
    if (spec instanceof LayerSpec.PRelu prelu) {
      out.add(variable(LayerVariable.Role.ALPHA, slopesShape(prelu)));
    }
    if (spec instanceof LayerSpec.Normalization) {
      List<Long> c = List.of((long) channels());
      out.add(variable(LayerVariable.Role.MEAN, c));
      out.add(variable(LayerVariable.Role.VARIANCE, c));
    }
    return out;
  }

  /**
   * A PReLU's alpha shape: {@code [channels]} for one slope per channel; otherwise the output's
   * shape with 1 along each shared axis (Keras' own alpha shape), {@code [channels or 1]} on a
   * vector.
   */
  private List<Long> slopesShape(LayerSpec.PRelu prelu) {
    if (prelu.perChannel() || outputShape.size() == 1) {
      boolean one = outputShape.size() == 1
          && prelu.sharedAxes().contains(LayerSpec.PRelu.Axis.CHANNELS);
      return List.of(one ? 1L : (long) channels());
    }
    List<Long> shape = new ArrayList<>();
    LayerSpec.PRelu.Axis[] axes = LayerSpec.PRelu.Axis.values();
    for (int i = 0; i < 3; i++) {
      shape.add(prelu.sharedAxes().contains(axes[i]) ? 1L : (long) outputShape.get(i));
    }
    return shape;
  }

  private LayerVariable variable(LayerVariable.Role role, List<Long> shape) {
    return new LayerVariable(key(role), shape, role);
  }

  /** Key of one of the layer's tensors: {@code <layer>/<role suffix>}. */
  public String key(LayerVariable.Role role) {
    return name + "/" + role.suffix();
  }

  /** Number of entries of the tensors that gradient steps train. */
  public long parameterCount() {
    return variables().stream().filter(v -> v.role().trainable()).mapToLong(LayerVariable::size)
        .sum();
  }

  /** Number of entries of the tensors that gradient steps do not train (moving statistics). */
  public long nonTrainableCount() {
    return variables().stream().filter(v -> !v.role().trainable())
        .mapToLong(LayerVariable::size).sum();
  }

  /**
   * Inputs feeding one output unit, as used by Glorot initialisation (Glorot and Bengio 2010):
   * receptive field times input channels.
   */
  public long fanIn() {
    return kernelShape.isEmpty() ? 0 : kernelSize() / kernelShape.get(kernelShape.size() - 1);
  }

  /** Outputs each input unit feeds: receptive field times output channels. */
  public long fanOut() {
    if (kernelShape.isEmpty()) {
      return 0;
    }
    long receptive = kernelShape.size() == 4 ? kernelShape.get(0) * kernelShape.get(1) : 1;
    return receptive * kernelShape.get(kernelShape.size() - 1);
  }

  /** Key of the kernel in {@link org.fwprune.core.Cnn#parameters()}. */
  public String kernelKey() {
    return key(LayerVariable.Role.KERNEL);
  }

  /** Key of the bias in {@link org.fwprune.core.Cnn#parameters()}. */
  public String biasKey() {
    return key(LayerVariable.Role.BIAS);
  }
}
