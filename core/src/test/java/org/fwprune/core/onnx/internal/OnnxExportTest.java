package org.fwprune.core.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.model.LayerVariable;
import org.fwprune.core.onnx.internal.proto.Onnx.ModelProto;
import org.fwprune.core.onnx.internal.proto.Onnx.NodeProto;
import org.fwprune.core.onnx.internal.proto.Onnx.TensorShapeProto;
import org.fwprune.core.testing.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ONNX file's structure, read back with the generated classes; that ONNX Runtime computes the
 * library's predictions from it is checked in the fwprune-onnxruntime module.
 */
class OnnxExportTest {

  @TempDir
  Path dir;

  private static Cnn everyKind() {
    return SyntheticData.everyLayerKind(5);
  }

  private ModelProto exported(Cnn model) throws IOException {
    Path file = dir.resolve("model.onnx");
    model.exportOnnx(file);
    try (InputStream in = Files.newInputStream(file)) {
      return ModelProto.parseFrom(in);
    }
  }

  @Test
  void exportOnnx_writesOpsetIrVersionAndProducer() throws IOException {
    try (Cnn model = everyKind()) {
      ModelProto m = exported(model);
      assertEquals(OnnxExport.IR_VERSION, m.getIrVersion());
      assertEquals(1, m.getOpsetImportCount());
      assertEquals("", m.getOpsetImport(0).getDomain());
      assertEquals(OnnxExport.OPSET, m.getOpsetImport(0).getVersion());
      assertEquals("fwprune", m.getProducerName());
    }
  }

  @Test
  void exportOnnx_inputIsNhwcAndOutputIsClassesWithADynamicBatchAxis() throws IOException {
    try (Cnn model = everyKind()) {
      ModelProto m = exported(model);
      assertEquals(List.of("batch", "12", "12", "2"), dims(m.getGraph().getInput(0)
          .getType().getTensorType().getShape()));
      assertEquals(Cnn.ONNX_INPUT, m.getGraph().getInput(0).getName());
      assertEquals(List.of("batch", "3"), dims(m.getGraph().getOutput(0)
          .getType().getTensorType().getShape()));
      assertEquals(Cnn.ONNX_OUTPUT, m.getGraph().getOutput(0).getName());
    }
  }

  @Test
  void exportOnnx_storesEveryLayerTensorAsAnInitializer() throws IOException {
    try (Cnn model = everyKind()) {
      Set<String> stored = exported(model).getGraph().getInitializerList().stream()
          .map(t -> t.getName()).collect(Collectors.toSet());
      assertEquals(model.architecture().variables().stream().map(LayerVariable::key)
          .collect(Collectors.toSet()), stored);
    }
  }

  @Test
  void exportOnnx_usesOnlyStandardOperators() throws IOException {
    try (Cnn model = Cnn.of(Architectures.resNet(8, 8, 8, 1, 10))) {
      Set<String> ops = exported(model).getGraph().getNodeList().stream()
          .map(NodeProto::getOpType).collect(Collectors.toSet());
      assertEquals(Set.of("Transpose", "Conv", "BatchNormalization", "Relu", "Add",
          "GlobalAveragePool", "Flatten", "Gemm", "Softmax", "Identity"), ops);
    }
  }

  @Test
  void exportOnnx_ontoAFolder_throwsIOExceptionAndLeavesNoTemporaryFile() throws IOException {
    try (Cnn model = everyKind()) {
      Path target = Files.createDirectory(dir.resolve("model.onnx"));
      Files.writeString(target.resolve("keep.txt"), "kept");
      assertThrows(IOException.class, () -> model.exportOnnx(target));
      assertEquals("kept", Files.readString(target.resolve("keep.txt")));
      try (Stream<Path> left = Files.list(dir)) {
        assertEquals(List.of(target), left.toList(), "no temporary file may be left behind");
      }
    }
  }

  @ParameterizedTest(name = "{0}x{1} input, kernel {2}, stride {3}")
  // Expected pads by TensorFlow's rule, by hand: out = ceil(in / s),
  // total = max((out - 1) s + k - in, 0), top = total / 2, bottom = the rest.
  @CsvSource({
      "28, 28, 3, 1, 1, 1, 1, 1",   // total 2
      "28, 28, 3, 2, 0, 0, 1, 1",   // out 14: 13*2 + 3 - 28 = 1, the odd pixel at the end
      "28, 28, 1, 2, 0, 0, 0, 0",   // 13*2 + 1 - 28 < 0
      "7, 8, 5, 1, 2, 2, 2, 2",     // total 4 on both axes
      "7, 7, 3, 2, 1, 1, 1, 1"})    // out 4: 3*2 + 3 - 7 = 2
  void samePads_followTensorFlowsRule(int h, int w, int k, int stride, long top, long left,
      long bottom, long right) {
    assertArrayEquals(new long[] {top, left, bottom, right},
        OnnxLayers.samePads(h, w, k, k, stride));
  }

  private static List<String> dims(TensorShapeProto shape) {
    return shape.getDimList().stream()
        .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList();
  }
}
