package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.train.EpochStats;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.core.train.TrainingListener;

/**
 * The dense checkpoints of one seed's pre-training: a single run of plain SGD, copied after each
 * requested epoch. Owns the copies; close it to free them.
 */
final class Checkpoints implements AutoCloseable {

  /** One checkpoint: the model and the pre-training seconds it took to reach it. */
  record Checkpoint(Cnn model, double trainSeconds) {}

  private final Map<Integer, Checkpoint> byEpoch;

  private Checkpoints(Map<Integer, Checkpoint> byEpoch) {
    this.byEpoch = byEpoch;
  }

  /**
   * Pre-trains a fresh model of {@code seed} up to the largest of {@code epochs}, keeping a copy
   * after each of {@code epochs}.
   */
  static Checkpoints pretrain(ModelFactory factory, int seed, Collection<Integer> epochs,
      ReproduceConfig config, Dataset train, ProgressListener listener) {
    checkArgument(!epochs.isEmpty(), "expected at least one checkpoint epoch");
    TreeSet<Integer> wanted = new TreeSet<>(epochs);
    Map<Integer, Checkpoint> kept = new TreeMap<>();
    try (Cnn model = factory.create(seed)) {
      TrainingListener keeper = new TrainingListener() {
        private double seconds;

        @Override
        public void onStep(int epoch, int step, double loss) {
          listener.onGradients(1);
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
          seconds += stats.seconds();
          if (wanted.contains(stats.epoch())) {
            kept.put(stats.epoch(), new Checkpoint(model.copy(), seconds));
          }
        }
      };
      model.fit(train, Training.builder()
          .optimizer(config.pretrainMomentum() > 0
              ? Optimizers.momentum(config.pretrainLearningRate(), config.pretrainMomentum())
              : Optimizers.sgd(config.pretrainLearningRate()))
          .batchSize(config.batchSize()).epochs(wanted.last()).seed(seed).listener(keeper)
          .build());
    } catch (RuntimeException e) {
      kept.values().forEach(c -> c.model().close());
      throw e;
    }
    return new Checkpoints(kept);
  }

  /** The checkpoint after {@code epoch} epochs; it must have been requested. */
  Checkpoint at(int epoch) {
    Checkpoint c = byEpoch.get(epoch);
    checkArgument(c != null, "no checkpoint after %s epochs; kept: %s", epoch, byEpoch.keySet());
    return c;
  }

  @Override
  public void close() {
    byEpoch.values().forEach(c -> c.model().close());
  }
}
