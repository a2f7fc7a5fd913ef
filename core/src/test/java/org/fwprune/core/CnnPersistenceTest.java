package org.fwprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.SavedModelWriter;
import org.fwprune.core.store.ModelStore;
import org.fwprune.core.testing.FloatAsserts;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class CnnPersistenceTest {

  private static final Dataset TRAIN = SyntheticData.bars(256, 8, 4, 1);

  @TempDir
  Path tmp;

  private static Cnn trained() {
    Cnn model = SyntheticData.smallCnn(8, 4, 3);
    model.fit(TRAIN, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9)).build());
    return model;
  }

  @Test
  void saveThenLoad_restoresWeightsAndMasksBitExactly() throws IOException {
    try (Cnn model = trained()) {
      float[] mask = new float[model.parameters().get("dense_1/kernel").length];
      mask[5] = 1;
      ModelGraph.of(model.prunable()).write("dense_1/mask", mask);
      model.save(tmp.resolve("m"));
      try (Cnn back = Cnn.load(tmp.resolve("m"))) {
        assertEquals(model.architecture(), back.architecture());
        for (Map.Entry<String, float[]> e : model.parameters().entrySet()) {
          assertArrayEquals(e.getValue(), back.parameters().get(e.getKey()), e.getKey());
        }
        assertArrayEquals(mask, back.masks().get("dense_1/kernel"));
      }
    }
  }

  @Test
  void load_formatVersionOne_chainOfLayers_loadsAsTheSameModel() throws IOException {
    // Version 1 files (before graphs) list "layers" without inputs, and conv2d and dense
    // without "useBias"; rewrite a saved model's manifest into that form.
    Path dir = tmp.resolve("v1");
    try (Cnn model = trained()) {
      model.save(dir);
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.node.ObjectNode manifest =
          (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
              dir.resolve("model.json").toFile());
      manifest.put("version", 1);
      com.fasterxml.jackson.databind.node.ObjectNode arch =
          (com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("architecture");
      com.fasterxml.jackson.databind.node.ArrayNode layers = arch.putArray("layers");
      for (com.fasterxml.jackson.databind.JsonNode node : arch.get("nodes")) {
        com.fasterxml.jackson.databind.node.ObjectNode spec =
            ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("spec")).deepCopy();
        spec.remove("useBias");
        layers.add(spec);
      }
      arch.remove("nodes");
      json.writeValue(dir.resolve("model.json").toFile(), manifest);
      assertFalse(Files.readString(dir.resolve("model.json")).contains("useBias"));
      try (Cnn loaded = Cnn.load(dir)) {
        assertEquals(model.architecture(), loaded.architecture());
        assertArrayEquals(model.predict(TRAIN), loaded.predict(TRAIN));
      }
    }
  }

  @Test
  void save_overExistingModel_replacesItAndLeavesNoTemporaryFolder() throws IOException {
    Path dir = tmp.resolve("m");
    try (Cnn a = trained(); Cnn b = SyntheticData.smallCnn(8, 4, 99)) {
      a.save(dir);
      b.save(dir);
      try (Cnn back = Cnn.load(dir)) {
        assertArrayEquals(b.parameters().get("dense_1/kernel"),
            back.parameters().get("dense_1/kernel"));
      }
    }
    try (var files = Files.list(tmp)) {
      assertEquals(1, files.count(), "only the model folder remains");
    }
  }

  @Test
  void save_overFolderThatIsNotAModel_isRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(dir.resolve("keep.txt"), "user data");
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      IOException e = assertThrows(IOException.class, () -> model.save(dir));
      assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
    }
    assertTrue(Files.exists(dir.resolve("keep.txt")));
  }

  @Test
  void load_alteredWeights_failsWithChecksumMessage() throws IOException {
    Path dir = SyntheticData.savedSmallCnn(tmp.resolve("m"));
    Path weights = weightsFile(dir);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[17] ^= 0x40;
    Files.write(weights, bytes);
    IOException e = assertThrows(IOException.class, () -> Cnn.load(dir));
    assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
  }

  @Test
  void load_truncatedWeights_fails() throws IOException {
    Path dir = SyntheticData.savedSmallCnn(tmp.resolve("m"));
    Path weights = weightsFile(dir);
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThrows(IOException.class, () -> Cnn.load(dir));
  }

  private static Path weightsFile(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(ModelStore.WEIGHTS_PREFIX))
          .findFirst().orElseThrow();
    }
  }

  @Test
  void save_killedMidWrite_leavesTheOldOrTheNewModel() throws Exception {
    Path dir = tmp.resolve("m");
    float[] a;
    float[] b;
    try (Cnn ma = SyntheticData.smallCnn(8, 4, 1); Cnn mb = SyntheticData.smallCnn(8, 4, 2)) {
      ma.save(dir);
      a = ma.parameters().get("dense_1/kernel");
      b = mb.parameters().get("dense_1/kernel");
    }
    java.util.Random random = new java.util.Random(5);
    for (int round = 0; round < 4; round++) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"),
          SaveLoop.class.getName(), dir.toString())
          .redirectErrorStream(true).start();
      try (var out = new java.io.BufferedReader(
          new java.io.InputStreamReader(p.getInputStream()))) {
        String line;
        while ((line = out.readLine()) != null && !line.equals("saving")) {
          // TensorFlow's start-up log lines
        }
        Thread.sleep(50 + random.nextInt(400));
        p.destroyForcibly().waitFor();
      }
      try (Cnn back = Cnn.load(dir)) {
        float[] now = back.parameters().get("dense_1/kernel");
        assertTrue(java.util.Arrays.equals(a, now) || java.util.Arrays.equals(b, now),
            "round " + round + ": the loaded weights are neither model");
      }
    }
  }

  @Test
  void load_missingFolder_namesIt() {
    IOException e = assertThrows(IOException.class, () -> Cnn.load(tmp.resolve("absent")));
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
  }

  @Test
  void load_malformedManifest_namesFile() throws IOException {
    Path dir = SyntheticData.savedSmallCnn(tmp.resolve("m"));
    Files.writeString(dir.resolve(ModelStore.MODEL_FILE), "{\"format\": 3");
    IOException e = assertThrows(IOException.class, () -> Cnn.load(dir));
    assertTrue(e.getMessage().contains(ModelStore.MODEL_FILE), e.getMessage());
  }

  @Test
  void copy_hasIndependentWeights() {
    try (Cnn model = trained(); Cnn twin = model.copy()) {
      float[] before = model.parameters().get("dense_1/kernel");
      assertArrayEquals(before, twin.parameters().get("dense_1/kernel"));
      twin.fit(TRAIN, Training.builder().build());
      assertArrayEquals(before, model.parameters().get("dense_1/kernel"));
      assertFalse(java.util.Arrays.equals(before, twin.parameters().get("dense_1/kernel")));
    }
  }

  @Test
  void exportedSavedModel_givesSamePredictions() throws IOException {
    Dataset probe = SyntheticData.bars(16, 8, 4, 7);
    Path dir = tmp.resolve("served");
    try (Cnn model = trained()) {
      model.exportSavedModel(dir);
      float[][] expected = model.predict(probe);
      float[] flat = new float[16 * 64];
      for (int i = 0; i < 16; i++) {
        System.arraycopy(probe.image(i), 0, flat, i * 64, 64);
      }
      try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
          TFloat32 input = TFloat32.tensorOf(Shape.of(16, 8, 8, 1))) {
        input.asRawTensor().data().asFloats().write(flat);
        try (Result r = bundle.call(Map.of(SavedModelWriter.INPUT, input))) {
          TFloat32 out = (TFloat32) r.get(SavedModelWriter.OUTPUT).orElseThrow();
          for (int i = 0; i < 16; i++) {
            float[] row = new float[4];
            for (int c = 0; c < 4; c++) {
              row[c] = out.getFloat(i, c);
            }
            FloatAsserts.assertClose(expected[i], row, FloatAsserts.GRAPH_TOLERANCE);
          }
        }
      }
    }
  }

  @Test
  void exportSavedModel_toExistingFolder_isRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("x"));
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      assertThrows(IOException.class, () -> model.exportSavedModel(dir));
    }
  }
}
