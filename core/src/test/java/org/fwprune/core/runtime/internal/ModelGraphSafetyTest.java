package org.fwprune.core.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.model.Padding;
import org.fwprune.core.testing.SyntheticData;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.internal.TrainStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class ModelGraphSafetyTest {

  @TempDir
  Path tmp;

  @Test
  void concurrentEvaluations_whileParametersAreReadAndOpsAdded_agree() throws Exception {
    Dataset data = SyntheticData.bars(500, 8, 4, 5);
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      Evaluation expected = model.evaluate(data);
      Map<String, float[]> params = model.parameters();
      ExecutorService pool = Executors.newFixedThreadPool(5);
      try {
        List<Future<Evaluation>> evaluations = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          evaluations.add(pool.submit(() -> {
            Evaluation last = null;
            for (int i = 0; i < 10; i++) {
              last = model.evaluate(data);
              assertEquals(expected, last);
            }
            return last;
          }));
        }
        Future<?> reader = pool.submit(() -> {
          for (int i = 0; i < 20; i++) {
            model.parameters().forEach((k, v) -> assertArrayEquals(params.get(k), v, k));
          }
        });
        // Meanwhile this thread adds ops: every optimizer kind's training step.
        TrainStep.of(ModelGraph.of(model.prunable()), Optimizers.adam(0.001));
        TrainStep.of(ModelGraph.of(model.prunable()), Optimizers.nesterov(0.01, 0.9));
        for (Future<Evaluation> f : evaluations) {
          assertEquals(expected, f.get());
        }
        reader.get();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void graphBuilder_usedAfterItsExtension_isRefused() {
    try (Cnn model = SyntheticData.smallCnn(8, 4, 1)) {
      // An extension that keeps its builder cannot add ops later, while others run the graph.
      GraphBuilder kept = model.prunable().extension("keeps its builder", b -> b);
      IllegalStateException e = assertThrows(IllegalStateException.class, kept::tf);
      assertTrue(e.getMessage().contains("extension"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> kept.uniqueName("x"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(classes = {Cnn.class, ModelGraph.class, PrunableModel.class})
  void publicApi_handsOutNoGraphSessionOrOpBuilder(Class<?> type) {
    // Only GraphBuilder, alive during an extension's builder, gives out TensorFlow's op builder.
    for (Method m : type.getMethods()) {
      Class<?> r = m.getReturnType();
      assertFalse(r == Graph.class || r == Session.class || r == Ops.class
          || r == ModelSession.class, type.getSimpleName() + "." + m.getName() + " returns " + r);
    }
  }

  @Test
  void networkTooLargeForMemory_failsFastNamingTheLayer() {
    IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(IllegalArgumentException.class, () -> Cnn.builder()
            .input(16000, 16000, 1).conv2d(4, 3, 1, Padding.SAME).flatten().dense(1000)
            .build()));
    // 16000 * 16000 * 4 features times 1000 units: 1.0e12 floats, 3.7 TiB for the kernel alone,
    // beyond the default limit of any machine.
    assertTrue(e.getMessage().contains("dense_1/kernel of shape [1024000000, 1000]"),
        e.getMessage());
    assertTrue(e.getMessage().contains("memory limit"), e.getMessage());
  }

  @Test
  void loadingAModelThatDeclaresHugeLayers_failsFastNamingTheLayer() throws Exception {
    Path dir = SyntheticData.savedSmallCnn(tmp.resolve("huge"));
    // 16000x16000 inputs pooled to 7999x7999x4 into 65,536 units: a 61 TiB kernel.
    Path json = dir.resolve("model.json");
    String text = Files.readString(json, StandardCharsets.UTF_8)
        .replace("\"height\" : 8", "\"height\" : 16000")
        .replace("\"width\" : 8", "\"width\" : 16000")
        .replace("\"units\" : 4", "\"units\" : 65536");
    Files.writeString(json, text, StandardCharsets.UTF_8);
    IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(IllegalArgumentException.class, () -> Cnn.load(dir)));
    assertTrue(e.getMessage().contains("dense_1/kernel"), e.getMessage());
    assertTrue(e.getMessage().startsWith("model " + dir), e.getMessage());
  }

  @Test
  void memoryLimit_isConfigurable() {
    // The small CNN's variables: conv 36 + 4 + mask 36, dense 36 * 4 + 4 + mask 144, 4 bytes each.
    try (Cnn small = SyntheticData.smallCnn(8, 4, 1)) {
      assertEquals(4L * (36 + 4 + 36 + 144 + 4 + 144),
          MemoryBudget.variableBytes(small.architecture()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Cnn.builder().input(8, 8, 1).flatten().dense(4).maxVariableBytes(1000));
    assertEquals("maxVariableBytes must be at least 1 MiB (1048576), got 1000", e.getMessage());
  }
}
