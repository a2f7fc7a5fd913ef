package org.fwprune.examples.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.InferenceTimer;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.engine.EngineProbe;
import org.fwprune.examples.reproduce.Network;
import org.tensorflow.op.Op;

/**
 * Times one session thread setting (intra-op, inter-op) on this machine: the median time of one
 * training step at the benchmark's batch size and of {@code predict} at batch 1 and 1000 of one
 * network (the paper CNN or ResNet-20). TensorFlow creates its thread pools once per process, with the first session's
 * setting, so each setting needs a process of its own: docs/performance.md runs them in turn.
 */
final class ThreadSweep {

  private ThreadSweep() {}

  static Map<String, Object> run(Network network, Dataset train, Dataset test, int batchSize,
      int stepRepeats, ExecutionOptions.Threads threads) {
    try (Cnn model = Cnn.of(network.architecture().withSeed(42),
        ExecutionOptions.builder().threads(threads).build())) {
      model.fit(train, Training.builder().batchSize(batchSize).steps(30).build());
      double step = EngineProbe.medianTrainStep(model, Optimizers.sgd(0.05), train, batchSize,
          stepRepeats);
      int large = Math.min(1000, test.size());
      InferenceTimer.Timing one = InferenceTimer.measure(model, test, 1, 100, 400);
      InferenceTimer.Timing big = InferenceTimer.measure(model, test, large, 5, 30);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("kind", "threads");
      line.put("network", network.id());
      line.put("intra_op", threads.intraOp());
      line.put("inter_op", threads.interOp());
      line.put("train_step_ms", round(1000 * step));
      line.put("train_images_per_s", Math.round(batchSize / step));
      line.put("predict_ms_per_example_batch_1", round(one.msPerExample()));
      line.put("predict_ms_per_example_batch_" + large, round(big.msPerExample()));
      return line;
    }
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
