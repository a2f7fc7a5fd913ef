package org.fwprune.core.onnx.internal;

import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable.Role;
import org.fwprune.core.model.Padding;
import org.fwprune.core.onnx.internal.proto.Onnx.TensorProto;

/**
 * The ONNX nodes of one layer, one method per kind of layer (the one place to extend when a kind
 * is added to {@link LayerSpec}). Operators and attributes are those of ONNX opset {@value
 * OnnxExport#OPSET} (the operator catalogue, Operators.md, in the docs folder of
 * github.com/onnx/onnx).
 *
 * <p>The library computes channels last (NHWC); ONNX's Conv, pooling and BatchNormalization take
 * channels first (NCHW). Every image-shaped value in the exported graph is therefore NCHW: the
 * input is transposed once, kernels are stored as OIHW, and Flatten transposes back to NHWC first
 * so that the features reach a dense layer in the library's order. Flat values are {@code [N, n]}
 * in both.
 */
final class OnnxLayers implements LayerSpec.Visitor<String> {

  /** Permutation from NCHW back to the library's NHWC. */
  static final long[] TO_NHWC = {0, 2, 3, 1};

  /** Permutation from the library's NHWC to NCHW. */
  static final long[] TO_NCHW = {0, 3, 1, 2};

  private final OnnxGraph graph;
  private final Map<String, float[]> parameters;
  private final Map<String, String> values;
  private final Map<String, List<Integer>> shapes;
  private final Layer layer;
  private final Architecture architecture;

  /**
   * @param values the ONNX value holding each written node's output, by node name
   * @param shapes each written node's per-example output shape (the library's, HWC or flat)
   */
  OnnxLayers(OnnxGraph graph, Map<String, float[]> parameters, Map<String, String> values,
      Map<String, List<Integer>> shapes, Layer layer, Architecture architecture) {
    this.graph = graph;
    this.architecture = architecture;
    this.parameters = parameters;
    this.values = values;
    this.shapes = shapes;
    this.layer = layer;
  }

  private String in() {
    return values.get(layer.inputs().get(0));
  }

  private List<Integer> inShape() {
    return shapes.get(layer.inputs().get(0));
  }

  private float[] param(Role role) {
    String key = layer.key(role);
    float[] v = parameters.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no values for " + key + " among the parameters");
    }
    return v;
  }

  @Override
  public String conv2d(LayerSpec.Conv2d conv) {
    // [kh, kw, in / groups, out], the library's HWIO: ONNX's grouped OIHW has the same I.
    List<Long> k = layer.kernelShape();
    int kh = k.get(0).intValue();
    int kw = k.get(1).intValue();
    int cin = k.get(2).intValue();
    int cout = k.get(3).intValue();
    float[] hwio = param(Role.KERNEL);
    float[] oihw = new float[hwio.length];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int i = 0; i < cin; i++) {
          for (int o = 0; o < cout; o++) {
            oihw[((o * cin + i) * kh + y) * kw + x] = hwio[((y * kw + x) * cin + i) * cout + o];
          }
        }
      }
    }
    String kernel = graph.floats(layer.kernelKey(), new long[] {cout, cin, kh, kw}, oihw);
    List<String> inputs = conv.useBias()
        ? List.of(in(), kernel, graph.floats(layer.biasKey(), new long[] {cout},
            param(Role.BIAS)))
        : List.of(in(), kernel);
    List<Integer> s = inShape();
    // SAME pads what the dilated window spans, (k - 1) d + 1 pixels.
    long[] pads = conv.padding() == Padding.SAME
        ? samePads(s.get(0), s.get(1), (kh - 1) * conv.dilation() + 1,
            (kw - 1) * conv.dilationWidth() + 1, conv.stride(), conv.strideWidth())
        : new long[4];
    Map<String, Object> attributes = new java.util.HashMap<>(Map.of(
        "kernel_shape", new long[] {kh, kw},
        "strides", new long[] {conv.stride(), conv.strideWidth()},
        "pads", pads));
    // Only where they differ from ONNX's defaults (1), so that other convolutions are written
    // as before.
    if (conv.dilated()) {
      attributes.put("dilations", new long[] {conv.dilation(), conv.dilationWidth()});
    }
    if (conv.groups() != 1) {
      attributes.put("group", (long) conv.groups());
    }
    return graph.node("Conv", layer.name(), inputs, attributes);
  }

  /**
   * TensorFlow's SAME padding as ONNX's explicit {@code [top, left, bottom, right]}: the output
   * is {@code ceil(in / stride)}, the total padding {@code max((out - 1) stride + k - in, 0)},
   * and the odd pixel goes to the bottom or right (tensorflow/core/framework/kernel_shape_util.cc).
   */
  static long[] samePads(int h, int w, int kh, int kw, int stride) {
    return samePads(h, w, kh, kw, stride, stride);
  }

  /** {@link #samePads(int, int, int, int, int)} with a stride of its own along the width. */
  static long[] samePads(int h, int w, int kh, int kw, int strideH, int strideW) {
    long th = Math.max(((h + strideH - 1) / strideH - 1L) * strideH + kh - h, 0);
    long tw = Math.max(((w + strideW - 1) / strideW - 1L) * strideW + kw - w, 0);
    return new long[] {th / 2, tw / 2, th - th / 2, tw - tw / 2};
  }

  @Override
  public String dense(LayerSpec.Dense dense) {
    List<Long> k = layer.kernelShape();  // [in, out], as Gemm's B without transposition
    if (layer.outputShape().size() == 3) {
      return pointwise(dense, k.get(0).intValue(), k.get(1).intValue());
    }
    String kernel = graph.floats(layer.kernelKey(), new long[] {k.get(0), k.get(1)},
        param(Role.KERNEL));
    if (!dense.useBias()) {
      return graph.node("MatMul", layer.name(), List.of(in(), kernel), Map.of());
    }
    String bias = graph.floats(layer.biasKey(), new long[] {k.get(1)}, param(Role.BIAS));
    return graph.node("Gemm", layer.name(), List.of(in(), kernel, bias), Map.of());
  }

  /**
   * A dense layer on an NCHW image: a 1x1 Conv whose {@code [out, in, 1, 1]} weights are the
   * {@code [in, out]} kernel transposed.
   */
  private String pointwise(LayerSpec.Dense dense, int cin, int cout) {
    float[] kernel = param(Role.KERNEL);
    float[] oi = new float[kernel.length];
    for (int i = 0; i < cin; i++) {
      for (int o = 0; o < cout; o++) {
        oi[o * cin + i] = kernel[i * cout + o];
      }
    }
    String weights = graph.floats(layer.kernelKey(), new long[] {cout, cin, 1, 1}, oi);
    List<String> inputs = dense.useBias()
        ? List.of(in(), weights, graph.floats(layer.biasKey(), new long[] {cout},
            param(Role.BIAS)))
        : List.of(in(), weights);
    return graph.node("Conv", layer.name(), inputs, Map.of("kernel_shape", new long[] {1, 1}));
  }

  @Override
  public String batchNorm(LayerSpec.BatchNorm spec) {
    // Inference form, with the moving statistics: y = gamma (x - mean) / sqrt(var + eps) + beta
    // over the channel axis, which is axis 1 in both NCHW and [N, C].
    long c = layer.channels();
    List<String> inputs = List.of(in(),
        graph.floats(layer.key(Role.GAMMA), new long[] {c}, param(Role.GAMMA)),
        graph.floats(layer.key(Role.BETA), new long[] {c}, param(Role.BETA)),
        graph.floats(layer.key(Role.MOVING_MEAN), new long[] {c}, param(Role.MOVING_MEAN)),
        graph.floats(layer.key(Role.MOVING_VARIANCE), new long[] {c},
            param(Role.MOVING_VARIANCE)));
    return graph.node("BatchNormalization", layer.name(), inputs,
        Map.of("epsilon", (float) spec.epsilon()));
  }

  /**
   * Keras' {@code ReLU} in the library's order of steps (Activations.relu): a threshold zeroes
   * what does not exceed it, the cap clips, then {@code slope * relu(threshold - x)} is
   * subtracted.
   */
  @Override
  public String relu(LayerSpec.Relu spec) {
    String name = layer.name();
    if (spec.plain()) {
      return graph.node("Relu", name, List.of(in()), Map.of());
    }
    boolean capped = spec.maxValue() != LayerSpec.Relu.NO_MAX;
    if (spec.negativeSlope() != 0 && !capped && spec.threshold() == 0) {
      return graph.node("LeakyRelu", name, List.of(in()),
          Map.of("alpha", (float) spec.negativeSlope()));
    }
    boolean last = spec.negativeSlope() == 0;
    String out;
    if (spec.threshold() != 0) {
      String t = graph.scalar(name + "/threshold", (float) spec.threshold());
      String above = graph.node("Greater", name + "/above", List.of(in(), t), Map.of());
      String mask = graph.node("Cast", name + "/mask", List.of(above),
          Map.of("to", (long) TensorProto.DataType.FLOAT_VALUE));
      out = graph.node("Mul", last && !capped ? name : name + "/thresholded",
          List.of(in(), mask), Map.of());
    } else {
      out = graph.node("Relu", last && !capped ? name : name + "/relu", List.of(in()), Map.of());
    }
    if (capped) {
      out = graph.node("Clip", last ? name : name + "/capped", List.of(out,
          graph.scalar(name + "/min", 0f), graph.scalar(name + "/max", (float) spec.maxValue())),
          Map.of());
    }
    if (!last) {
      String t = graph.scalar(name + "/negative_threshold", (float) spec.threshold());
      String below = graph.node("Relu", name + "/below", List.of(graph.node("Sub",
          name + "/shifted", List.of(t, in()), Map.of())), Map.of());
      String negative = graph.node("Mul", name + "/negative", List.of(
          graph.scalar(name + "/slope", (float) spec.negativeSlope()), below), Map.of());
      out = graph.node("Sub", name, List.of(out, negative), Map.of());
    }
    return out;
  }

  @Override
  public String maxPool(LayerSpec.MaxPool pool) {
    String input = layer.inputs().get(0);
    if (!Architecture.INPUT.equals(input)
        && architecture.layer(input).spec() instanceof LayerSpec.ZeroPadding zeros) {
      return maxPoolOverZeros(pool, architecture.layer(input), zeros);
    }
    return pool("MaxPool", pool.size(), pool.stride(), pool.padding());
  }

  /**
   * Max pooling of a zero-padded image (ResNet's stem pads, then pools), written so that no
   * runtime can fold the padding into the pool's own. ONNX Runtime 1.22's graph optimizer
   * (PadFusion) turns Pad(0) + MaxPool into one MaxPool with pads, but a pool's padded cells
   * never win the maximum, while a zero does win over negative values: its results differed by
   * 0.03 on ResNet50V2, whose stem pools before any ReLU. Here the unpadded image is pooled with
   * the zero padding as the pool's own pads, then the maximum is taken with a constant that is 0
   * at every window covering a zero-padded cell and minus infinity elsewhere: the same values.
   */
  private String maxPoolOverZeros(LayerSpec.MaxPool pool, Layer padding,
      LayerSpec.ZeroPadding zeros) {
    String name = layer.name();
    List<Integer> unpadded = shapes.get(padding.inputs().get(0));
    int h = unpadded.get(0);
    int w = unpadded.get(1);
    int paddedH = h + zeros.top() + zeros.bottom();
    int paddedW = w + zeros.left() + zeros.right();
    int size = pool.size();
    int stride = pool.stride();
    long[] own = pool.padding() == Padding.SAME
        ? samePads(paddedH, paddedW, size, size, stride) : new long[4];
    String pooled = graph.node("MaxPool", name + "/pooled",
        List.of(values.get(padding.inputs().get(0))), Map.of(
            "kernel_shape", new long[] {size, size},
            "strides", new long[] {stride, stride},
            "pads", new long[] {zeros.top() + own[0], zeros.left() + own[1],
                zeros.bottom() + own[2], zeros.right() + own[3]}));
    List<Integer> out = layer.outputShape();
    int outH = out.get(0);
    int outW = out.get(1);
    float[] floor = new float[outH * outW];
    for (int i = 0; i < outH; i++) {
      for (int j = 0; j < outW; j++) {
        boolean coversZero = false;
        for (int r = i * stride - (int) own[0]; r < i * stride - own[0] + size; r++) {
          for (int c = j * stride - (int) own[1]; c < j * stride - own[1] + size; c++) {
            boolean inPadded = r >= 0 && r < paddedH && c >= 0 && c < paddedW;
            boolean inImage = r >= zeros.top() && r < zeros.top() + h && c >= zeros.left()
                && c < zeros.left() + w;
            coversZero |= inPadded && !inImage;
          }
        }
        floor[i * outW + j] = coversZero ? 0f : Float.NEGATIVE_INFINITY;
      }
    }
    return graph.node("Max", name, List.of(pooled,
        graph.floats(name + "/zero_floor", new long[] {1, 1, outH, outW}, floor)), Map.of());
  }

  @Override
  public String avgPool(LayerSpec.AvgPool pool) {
    return pool("AveragePool", pool.size(), pool.stride(), pool.padding());
  }

  /**
   * Pooling. VALID has no padding, so that floor division sizes both alike; SAME pads as
   * TensorFlow does, and the padding takes no part: MaxPool pads with nothing a maximum would
   * pick, and AveragePool's default {@code count_include_pad = 0} averages the input's own
   * values only, as TensorFlow's SAME average does.
   */
  private String pool(String op, int size, int stride, Padding padding) {
    List<Integer> s = inShape();
    long[] pads = padding == Padding.SAME
        ? samePads(s.get(0), s.get(1), size, size, stride) : new long[4];
    return graph.node(op, layer.name(), List.of(in()), Map.of(
        "kernel_shape", new long[] {size, size},
        "strides", new long[] {stride, stride},
        "pads", pads));
  }

  @Override
  public String globalAvgPool(LayerSpec.GlobalAvgPool spec) {
    return globalPool("GlobalAveragePool", spec.keepdims());
  }

  @Override
  public String globalMaxPool(LayerSpec.GlobalMaxPool spec) {
    return globalPool("GlobalMaxPool", spec.keepdims());
  }

  private String globalPool(String op, boolean keepdims) {
    if (keepdims) {
      return graph.node(op, layer.name(), List.of(in()), Map.of());
    }
    String pooled = graph.node(op, layer.name() + "/pool", List.of(in()),
        Map.of());  // [N, C, 1, 1]
    return graph.node("Flatten", layer.name(), List.of(pooled), Map.of("axis", 1L));
  }

  @Override
  public String flatten(LayerSpec.Flatten spec) {
    // Back to NHWC first: the library's flat features are ordered height, width, channel.
    String nhwc = graph.node("Transpose", layer.name() + "/nhwc", List.of(in()),
        Map.of("perm", TO_NHWC));
    return graph.node("Flatten", layer.name(), List.of(nhwc), Map.of("axis", 1L));
  }

  @Override
  public String dropout(LayerSpec.Dropout spec) {
    return graph.node("Identity", layer.name(), List.of(in()), Map.of());  // inference
  }

  @Override
  public String softmax(LayerSpec.Softmax spec) {
    return graph.node("Softmax", layer.name(), List.of(in()), Map.of("axis", -1L));
  }

  @Override
  public String add(LayerSpec.Add spec) {
    List<String> terms = layer.inputs().stream().map(values::get).toList();
    return graph.node(terms.size() == 2 ? "Add" : "Sum", layer.name(), terms, Map.of());
  }

  @Override
  public String maximum(LayerSpec.Maximum spec) {
    return graph.node("Max", layer.name(), layer.inputs().stream().map(values::get).toList(),
        Map.of());
  }

  @Override
  public String zeroPadding(LayerSpec.ZeroPadding pad) {
    // Pad's pads: every axis' start, then every axis' end, here of N, C, H, W.
    String pads = graph.longs(layer.name() + "/pads", new long[] {8}, new long[] {
        0, 0, pad.top(), pad.left(), 0, 0, pad.bottom(), pad.right()});
    return graph.node("Pad", layer.name(), List.of(in(), pads), Map.of());  // mode constant, 0
  }

  /**
   * A depthwise convolution as ONNX's grouped Conv with one group per input channel: output
   * channel {@code c m + j} is input channel {@code c} under filter {@code j}, as in the library
   * (kernel {@code [k, k, in, m]} becomes {@code [in m, 1, k, k]}).
   */
  @Override
  public String depthwiseConv2d(LayerSpec.DepthwiseConv2d conv) {
    List<Long> shape = layer.kernelShape();  // [k, k, in, m]
    int k = shape.get(0).intValue();
    int cin = shape.get(2).intValue();
    int m = shape.get(3).intValue();
    float[] kernel = param(Role.KERNEL);
    float[] grouped = new float[kernel.length];
    for (int y = 0; y < k; y++) {
      for (int x = 0; x < k; x++) {
        for (int c = 0; c < cin; c++) {
          for (int j = 0; j < m; j++) {
            grouped[((c * m + j) * k + y) * k + x] = kernel[((y * k + x) * cin + c) * m + j];
          }
        }
      }
    }
    long cout = (long) cin * m;
    String weights = graph.floats(layer.kernelKey(), new long[] {cout, 1, k, k}, grouped);
    List<String> inputs = conv.useBias()
        ? List.of(in(), weights, graph.floats(layer.biasKey(), new long[] {cout},
            param(Role.BIAS)))
        : List.of(in(), weights);
    List<Integer> s = inShape();
    int d = conv.dilation();
    long[] pads = conv.padding() == Padding.SAME
        ? samePads(s.get(0), s.get(1), (k - 1) * d + 1, (k - 1) * d + 1, conv.stride(),
            conv.stride())
        : new long[4];
    Map<String, Object> attributes = new java.util.HashMap<>(Map.of(
        "kernel_shape", new long[] {k, k},
        "strides", new long[] {conv.stride(), conv.stride()},
        "pads", pads,
        "group", (long) cin));
    if (d > 1) {
      attributes.put("dilations", new long[] {d, d});
    }
    return graph.node("Conv", layer.name(), inputs, attributes);
  }

  /** Keras 3's definitions (Activation), with ONNX's operators where opset 17 has them. */
  @Override
  public String nonlinearity(LayerSpec.Nonlinearity spec) {
    String name = layer.name();
    String x = in();
    return switch (spec.function()) {
      case SIGMOID -> graph.node("Sigmoid", name, List.of(x), Map.of());
      // relu6(x + 3) / 6 = clip(x / 6 + 1 / 2, 0, 1)
      case HARD_SIGMOID -> graph.node("HardSigmoid", name, List.of(x),
          Map.of("alpha", 1f / 6, "beta", 0.5f));
      case SWISH -> graph.node("Mul", name, List.of(x,
          graph.node("Sigmoid", name + "/sigmoid", List.of(x), Map.of())), Map.of());
      case HARD_SWISH -> graph.node("HardSwish", name, List.of(x), Map.of());
      // Opset 17 has no Gelu: the exact form x (1 + erf(x / sqrt 2)) / 2.
      case GELU -> {
        String scaled = graph.node("Mul", name + "/scaled", List.of(x,
            graph.scalar(name + "/inverse_sqrt2", (float) (1 / Math.sqrt(2)))), Map.of());
        String erf = graph.node("Erf", name + "/erf", List.of(scaled), Map.of());
        String plusOne = graph.node("Add", name + "/plus_one", List.of(erf,
            graph.scalar(name + "/one", 1f)), Map.of());
        String half = graph.node("Mul", name + "/half_x", List.of(x,
            graph.scalar(name + "/half", 0.5f)), Map.of());
        yield graph.node("Mul", name, List.of(half, plusOne), Map.of());
      }
      case TANH -> graph.node("Tanh", name, List.of(x), Map.of());
      case ELU -> graph.node("Elu", name, List.of(x), Map.of("alpha", 1f));
      // ONNX's default alpha and gamma are Klambauer et al.'s constants, as TensorFlow's.
      case SELU -> graph.node("Selu", name, List.of(x), Map.of());
      case LEAKY_RELU -> graph.node("LeakyRelu", name, List.of(x), Map.of("alpha", 0.2f));
    };
  }

  @Override
  public String concat(LayerSpec.Concat spec) {
    // Channels are axis 1 of an NCHW image and of a flat [N, n] value alike.
    return graph.node("Concat", layer.name(),
        layer.inputs().stream().map(values::get).toList(), Map.of("axis", 1L));
  }

  @Override
  public String multiply(LayerSpec.Multiply spec) {
    // Both operands are in the same layout (NCHW for images), so a 1 x 1 x C gate broadcasts
    // over the height and width as it does in the library.
    List<String> factors = layer.inputs().stream().map(values::get).toList();
    String product = factors.get(0);
    for (int i = 1; i < factors.size(); i++) {
      product = graph.node("Mul", i == factors.size() - 1 ? layer.name()
          : layer.name() + "/product" + i, List.of(product, factors.get(i)), Map.of());
    }
    return product;
  }

  /**
   * A reshape in the library's order of values: an image goes back to NHWC first, and an
   * image-shaped result goes to NCHW after.
   */
  @Override
  public String reshape(LayerSpec.Reshape spec) {
    String name = layer.name();
    String x = inShape().size() == 3
        ? graph.node("Transpose", name + "/nhwc", List.of(in()), Map.of("perm", TO_NHWC)) : in();
    long[] target = new long[spec.shape().size() + 1];
    target[0] = -1;
    for (int i = 0; i < spec.shape().size(); i++) {
      target[i + 1] = spec.shape().get(i);
    }
    boolean image = spec.shape().size() == 3;
    String reshaped = graph.node("Reshape", image ? name + "/reshaped" : name, List.of(x,
        graph.longs(name + "/shape", new long[] {target.length}, target)), Map.of());
    return image
        ? graph.node("Transpose", name, List.of(reshaped), Map.of("perm", TO_NCHW)) : reshaped;
  }

  @Override
  public String rescaling(LayerSpec.Rescaling spec) {
    // Keras multiplies, then adds, in float32.
    String name = layer.name();
    String scaled = graph.node("Mul", name + "/scaled", List.of(in(),
        graph.scalar(name + "/scale", (float) spec.scale())), Map.of());
    return graph.node("Add", name, List.of(scaled,
        graph.scalar(name + "/offset", (float) spec.offset())), Map.of());
  }

  /**
   * {@code (x - mean) / max(sqrt(variance), epsilon)} per channel. The deviation is a constant,
   * computed here: a float's square root through double and back is the correctly rounded float
   * square root, as TensorFlow's.
   */
  @Override
  public String normalization(LayerSpec.Normalization spec) {
    String name = layer.name();
    float[] mean = param(Role.MEAN);
    float[] variance = param(Role.VARIANCE);
    float[] deviation = new float[variance.length];
    for (int i = 0; i < variance.length; i++) {
      deviation[i] = Math.max((float) Math.sqrt(variance[i]),
          (float) LayerSpec.Normalization.EPSILON);
    }
    long[] dims = perChannel(mean.length);
    String centred = graph.node("Sub", name + "/centred", List.of(in(),
        graph.floats(layer.key(Role.MEAN), dims, mean)), Map.of());
    return graph.node("Div", name, List.of(centred,
        graph.floats(name + "/deviation", dims, deviation)), Map.of());
  }

  /** Per-channel values shaped to broadcast: [C, 1, 1] over an NCHW image, [C] over [N, C]. */
  private long[] perChannel(int channels) {
    return inShape().size() == 3 ? new long[] {channels, 1, 1} : new long[] {channels};
  }

  /**
   * Keras' layer normalisation over the channels, axis 1 in NCHW and in {@code [N, C]} alike
   * (opset 17's LayerNormalization normalises over every axis from its own to the last, so it
   * would take the height and width too): {@code inv = gamma / sqrt(variance + epsilon)}, then
   * {@code x inv + (beta - mean inv)}, as the library computes it.
   */
  @Override
  public String layerNorm(LayerSpec.LayerNorm spec) {
    String name = layer.name();
    long[] dims = perChannel(layer.channels());
    Map<String, Object> overChannels = Map.of("axes", new long[] {1}, "keepdims", 1L);
    String mean = graph.node("ReduceMean", name + "/mean", List.of(in()), overChannels);
    String centred = graph.node("Sub", name + "/centred", List.of(in(), mean), Map.of());
    String variance = graph.node("ReduceMean", name + "/variance", List.of(graph.node("Mul",
        name + "/squared", List.of(centred, centred), Map.of())), overChannels);
    String deviation = graph.node("Sqrt", name + "/deviation", List.of(graph.node("Add",
        name + "/plus_epsilon", List.of(variance, graph.scalar(name + "/epsilon",
            (float) spec.epsilon())), Map.of())), Map.of());
    String inv = graph.node("Div", name + "/inv", List.of(
        graph.floats(layer.key(Role.GAMMA), dims, param(Role.GAMMA)), deviation), Map.of());
    String offset = graph.node("Sub", name + "/offset", List.of(
        graph.floats(layer.key(Role.BETA), dims, param(Role.BETA)),
        graph.node("Mul", name + "/mean_inv", List.of(mean, inv), Map.of())), Map.of());
    return graph.node("Add", name, List.of(graph.node("Mul", name + "/scaled",
        List.of(in(), inv), Map.of()), offset), Map.of());
  }

  @Override
  public String layerScale(LayerSpec.LayerScale spec) {
    return graph.node("Mul", layer.name(), List.of(in(), graph.floats(layer.key(Role.GAMMA),
        perChannel(layer.channels()), param(Role.GAMMA))), Map.of());
  }

  @Override
  public String prelu(LayerSpec.PRelu spec) {
    // ONNX's PRelu is x below zero times the slope: alpha x, which is -alpha relu(-x) exactly.
    List<Long> shape = layer.variables().get(0).shape();
    float[] alpha = param(Role.ALPHA);
    long[] dims;
    if (spec.perChannel() || shape.size() == 1) {
      dims = shape.size() == 1 && shape.get(0) == 1 ? new long[] {1}
          : perChannel(layer.channels());
    } else {
      // Keras' [h, w, c] slopes (1 along each shared axis) as [c, h, w], broadcast over NCHW.
      int h = shape.get(0).intValue();
      int w = shape.get(1).intValue();
      int c = shape.get(2).intValue();
      float[] chw = new float[alpha.length];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int k = 0; k < c; k++) {
            chw[(k * h + y) * w + x] = alpha[(y * w + x) * c + k];
          }
        }
      }
      alpha = chw;
      dims = new long[] {c, h, w};
    }
    return graph.node("PRelu", layer.name(), List.of(in(), graph.floats(layer.key(Role.ALPHA),
        dims, alpha)), Map.of());
  }

  @Override
  public String cropping(LayerSpec.Cropping crop) {
    // The kept rows and columns, axes 2 and 3 of NCHW.
    String name = layer.name();
    List<Integer> out = layer.outputShape();
    return graph.node("Slice", name, List.of(in(),
        graph.longs(name + "/starts", new long[] {2}, new long[] {crop.top(), crop.left()}),
        graph.longs(name + "/ends", new long[] {2},
            new long[] {crop.top() + out.get(0), crop.left() + out.get(1)}),
        graph.longs(name + "/axes", new long[] {2}, new long[] {2, 3})), Map.of());
  }
}
