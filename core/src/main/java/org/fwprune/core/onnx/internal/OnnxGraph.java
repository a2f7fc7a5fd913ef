package org.fwprune.core.onnx.internal;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fwprune.core.onnx.internal.proto.Onnx.AttributeProto;
import org.fwprune.core.onnx.internal.proto.Onnx.GraphProto;
import org.fwprune.core.onnx.internal.proto.Onnx.NodeProto;
import org.fwprune.core.onnx.internal.proto.Onnx.TensorProto;

/**
 * A graph being written: appends nodes and constant tensors (initializers) to an ONNX {@link
 * GraphProto.Builder}, each under a name of its own.
 */
final class OnnxGraph {

  private final GraphProto.Builder graph;

  OnnxGraph(GraphProto.Builder graph) {
    this.graph = graph;
  }

  /**
   * Appends a node {@code name} running {@code op} on {@code inputs}; its one output is also
   * called {@code name}, which it returns.
   */
  String node(String op, String name, List<String> inputs, Map<String, Object> attributes) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name)
        .addAllInput(inputs).addOutput(name);
    attributes.forEach((key, value) -> node.addAttribute(attribute(key, value)));
    graph.addNode(node);
    return name;
  }

  /** Appends a float32 constant {@code name} of shape {@code dims}, values in row-major order. */
  String floats(String name, long[] dims, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);  // raw_data is little-endian by the ONNX spec
    bytes.asFloatBuffer().put(values);
    graph.addInitializer(TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addAllDims(Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(bytes.array())));
    return name;
  }

  /** Appends an int64 constant {@code name} of shape {@code dims} (shapes, pads). */
  String longs(String name, long[] dims, long[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    graph.addInitializer(TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.INT64_VALUE)
        .addAllDims(Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(bytes.array())));
    return name;
  }

  /** Appends a float32 scalar constant {@code name}, for element-wise arithmetic. */
  String scalar(String name, float value) {
    return floats(name, new long[0], new float[] {value});
  }

  private static AttributeProto attribute(String name, Object value) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (value instanceof Long i) {
      a.setType(AttributeProto.AttributeType.INT).setI(i);
    } else if (value instanceof Float f) {
      a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
    } else if (value instanceof long[] ints) {
      a.setType(AttributeProto.AttributeType.INTS);
      for (long i : ints) {
        a.addInts(i);
      }
    } else {
      throw new IllegalArgumentException("attribute " + name + " has the unsupported type "
          + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    return a.build();
  }
}
