package org.fwprune.core.onnx.internal;

import java.util.List;
import java.util.Map;
import org.fwprune.core.model.Layer;
import org.fwprune.core.model.LayerSpec;
import org.fwprune.core.model.LayerVariable.Role;
import org.fwprune.core.model.Padding;

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

  private final OnnxGraph graph;
  private final Map<String, float[]> parameters;
  private final Map<String, String> values;
  private final Map<String, List<Integer>> shapes;
  private final Layer layer;

  /**
   * @param values the ONNX value holding each written node's output, by node name
   * @param shapes each written node's per-example output shape (the library's, HWC or flat)
   */
  OnnxLayers(OnnxGraph graph, Map<String, float[]> parameters, Map<String, String> values,
      Map<String, List<Integer>> shapes, Layer layer) {
    this.graph = graph;
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
    List<Long> k = layer.kernelShape();  // [kh, kw, in, out], the library's HWIO
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
    long[] pads = conv.padding() == Padding.SAME
        ? samePads(s.get(0), s.get(1), kh, kw, conv.stride()) : new long[4];
    return graph.node("Conv", layer.name(), inputs, Map.of(
        "kernel_shape", new long[] {kh, kw},
        "strides", new long[] {conv.stride(), conv.stride()},
        "pads", pads));
  }

  /**
   * TensorFlow's SAME padding as ONNX's explicit {@code [top, left, bottom, right]}: the output
   * is {@code ceil(in / stride)}, the total padding {@code max((out - 1) stride + k - in, 0)},
   * and the odd pixel goes to the bottom or right (tensorflow/core/framework/kernel_shape_util.cc).
   */
  static long[] samePads(int h, int w, int kh, int kw, int stride) {
    long th = Math.max(((h + stride - 1) / stride - 1L) * stride + kh - h, 0);
    long tw = Math.max(((w + stride - 1) / stride - 1L) * stride + kw - w, 0);
    return new long[] {th / 2, tw / 2, th - th / 2, tw - tw / 2};
  }

  @Override
  public String dense(LayerSpec.Dense dense) {
    List<Long> k = layer.kernelShape();  // [in, out], as Gemm's B without transposition
    String kernel = graph.floats(layer.kernelKey(), new long[] {k.get(0), k.get(1)},
        param(Role.KERNEL));
    if (!dense.useBias()) {
      return graph.node("MatMul", layer.name(), List.of(in(), kernel), Map.of());
    }
    String bias = graph.floats(layer.biasKey(), new long[] {k.get(1)}, param(Role.BIAS));
    return graph.node("Gemm", layer.name(), List.of(in(), kernel, bias), Map.of());
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

  @Override
  public String relu(LayerSpec.Relu spec) {
    return graph.node("Relu", layer.name(), List.of(in()), Map.of());
  }

  @Override
  public String maxPool(LayerSpec.MaxPool pool) {
    return pool("MaxPool", pool.size(), pool.stride());
  }

  @Override
  public String avgPool(LayerSpec.AvgPool pool) {
    return pool("AveragePool", pool.size(), pool.stride());
  }

  /** Pooling without padding (TensorFlow's VALID), so that floor division sizes both alike. */
  private String pool(String op, int size, int stride) {
    return graph.node(op, layer.name(), List.of(in()), Map.of(
        "kernel_shape", new long[] {size, size},
        "strides", new long[] {stride, stride}));
  }

  @Override
  public String globalAvgPool(LayerSpec.GlobalAvgPool spec) {
    String pooled = graph.node("GlobalAveragePool", layer.name() + "/pool", List.of(in()),
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
}
