package org.fwprune.core.onnx.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.io.AtomicFiles;
import org.fwprune.core.model.Architecture;
import org.fwprune.core.model.Layer;
import org.fwprune.core.onnx.internal.proto.Onnx.GraphProto;
import org.fwprune.core.onnx.internal.proto.Onnx.ModelProto;
import org.fwprune.core.onnx.internal.proto.Onnx.OperatorSetIdProto;
import org.fwprune.core.onnx.internal.proto.Onnx.TensorProto;
import org.fwprune.core.onnx.internal.proto.Onnx.TensorShapeProto;
import org.fwprune.core.onnx.internal.proto.Onnx.TypeProto;
import org.fwprune.core.onnx.internal.proto.Onnx.ValueInfoProto;

/**
 * Writes an {@link Architecture} with its weights as an ONNX model (opset {@value #OPSET}, IR
 * version {@value #IR_VERSION}) for inference: BatchNorm uses its moving statistics, dropout is
 * the identity. Input {@value #INPUT}: float32 {@code [batch, height, width, channels]}, the
 * library's own channels-last layout, with a dynamic batch axis named {@value #BATCH}; output
 * {@value #OUTPUT}: {@code [batch, classes]}, probabilities when the network ends with a softmax,
 * scores otherwise (what {@code Cnn.predict} returns).
 */
public final class OnnxExport {

  /** The ONNX operator set the nodes are bound against (ai.onnx). */
  public static final int OPSET = 17;
  /**
   * The ONNX IR version of opset {@value #OPSET} (Versioning.md in the docs folder of
   * github.com/onnx/onnx).
   */
  public static final int IR_VERSION = 8;
  /** Name of the graph's input. */
  public static final String INPUT = "images";
  /** Name of the graph's output. */
  public static final String OUTPUT = "output";
  /** Symbol of the dynamic batch axis of the input and output. */
  public static final String BATCH = "batch";


  private OnnxExport() {}

  /**
   * Replaces {@code file} with the model, atomically: it is written to a temporary sibling and
   * moved into place, so a failure leaves the old file or none, never part of one.
   *
   * @param parameters every layer tensor, keyed and laid out as {@code Cnn.parameters()}
   */
  public static void write(Path file, Architecture architecture, Map<String, float[]> parameters)
      throws IOException {
    ModelProto model = model(architecture, parameters);
    AtomicFiles.write(file, model::writeTo);
  }

  /** The model as ONNX's serialized {@code ModelProto} bytes, for a runtime that loads memory. */
  public static byte[] toBytes(Architecture architecture, Map<String, float[]> parameters) {
    return model(architecture, parameters).toByteArray();
  }

  static ModelProto model(Architecture architecture, Map<String, float[]> parameters) {
    GraphProto.Builder proto = GraphProto.newBuilder().setName("fwprune");
    OnnxGraph graph = new OnnxGraph(proto);
    proto.addInput(value(INPUT, List.of((long) architecture.height(),
        (long) architecture.width(), (long) architecture.channels())));
    Map<String, String> values = new HashMap<>();
    Map<String, List<Integer>> shapes = new HashMap<>();
    values.put(Architecture.INPUT, graph.node("Transpose", INPUT + "/nchw", List.of(INPUT),
        Map.of("perm", OnnxLayers.TO_NCHW)));
    shapes.put(Architecture.INPUT, List.of(architecture.height(), architecture.width(),
        architecture.channels()));
    List<Layer> layers = architecture.resolvedLayers();
    for (Layer layer : layers) {
      values.put(layer.name(), layer.spec().accept(
          new OnnxLayers(graph, parameters, values, shapes, layer, architecture)));
      shapes.put(layer.name(), layer.outputShape());
    }
    Layer last = layers.get(layers.size() - 1);
    String result = values.get(last.name());
    List<Long> outputShape = last.outputShape().stream().map(Integer::longValue).toList();
    if (last.outputShape().size() == 3) {
      // An image-shaped output goes back to the library's layout.
      graph.node("Transpose", OUTPUT, List.of(result), Map.of("perm", OnnxLayers.TO_NHWC));
    } else {
      graph.node("Identity", OUTPUT, List.of(result), Map.of());
    }
    proto.addOutput(value(OUTPUT, outputShape));
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("fwprune")
        .setProducerVersion(producerVersion())
        .setGraph(proto)
        .build();
  }

  /** A float32 value of shape {@code [batch, perExample...]}, the batch axis dynamic. */
  private static ValueInfoProto value(String name, List<Long> perExample) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
    perExample.forEach(d -> shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
  }

  /** The library's version: the jar's Implementation-Version, else the module's, else "dev". */
  private static String producerVersion() {
    String v = OnnxExport.class.getPackage().getImplementationVersion();
    if (v == null && OnnxExport.class.getModule().getDescriptor() != null) {
      v = OnnxExport.class.getModule().getDescriptor().rawVersion().orElse(null);
    }
    return v == null ? "dev" : v;
  }
}
