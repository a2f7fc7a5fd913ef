package org.fwprune.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.train.History;
import org.fwprune.core.train.LearningRateSchedule;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.ExperimentData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains the paper's CNN or ResNet-20 with SGD on MNIST or on the user's own data (CIFAR files,
 * image folders) and optionally saves it.
 */
@Command(name = "train", resourceBundle = "org.fwprune.examples.cli.TrainCommand",
    mixinStandardHelpOptions = true,
    description = "Train the paper's CNN or ResNet-20 (input and output sized for the data) on"
        + " MNIST (first 55,000 images; the last 5,000 validate) or on your own data, and report"
        + " test accuracy.")
final class TrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  SplitOptions data = new SplitOptions();

  @Mixin
  ModelOptions model = new ModelOptions();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Option(names = "--epochs", defaultValue = "1")
  int epochs;

  @Option(names = "--lr", defaultValue = "0.05")
  double learningRate;

  @Option(names = "--momentum", defaultValue = "0")
  double momentum;

  @Mixin
  LearningRateDecayOptions lrDecay = new LearningRateDecayOptions();

  @Option(names = "--batch-size", defaultValue = "128")
  int batchSize;

  @Option(names = "--train-size")
  Integer trainSize;

  @Option(names = "--out", paramLabel = "DIR")
  Path out;

  @Override
  public Integer call() throws Exception {
    int threadCount = threads.threads();
    LearningRateSchedule schedule = lrDecay.schedule();
    ExperimentData splits = data.load();
    int available = splits.train().size();
    if (trainSize != null) {
      UsageErrors.check(spec, () -> Require.inClosed("--train-size", trainSize, 1, available));
    }
    UsageErrors.check(spec, () -> Require.inClosedOpen("--momentum", momentum, 0, 1));
    Dataset train = splits.train().subset(0, trainSize == null ? available : trainSize);
    Dataset validation = splits.validation();
    try (Cnn cnn = model.createFor(train, threadCount);
        ProgressBarListener progress = new ProgressBarListener("train")) {
      History h = cnn.fit(train, Training.builder()
          .optimizer(momentum > 0 ? Optimizers.momentum(learningRate, momentum)
              : Optimizers.sgd(learningRate)).batchSize(batchSize).epochs(epochs)
          .learningRateSchedule(schedule).seed(model.seed).validation(validation).listener(progress).build());
      Evaluation test = cnn.evaluate(splits.test());
      h.epochs().forEach(e -> System.out.printf(
          "epoch %d: train loss %.4f, train accuracy %.4f, validation accuracy %.4f (%.1f s)%n",
          e.epoch(), e.loss(), e.accuracy(), e.validationAccuracy(), e.seconds()));
      System.out.printf("test accuracy %.4f, test loss %.4f after %d epochs (%.1f s, %.0f images/s)%n",
          test.accuracy(), test.loss(), epochs, h.seconds(), h.steps() * (double) batchSize / h.seconds());
      if (out != null) {
        cnn.save(out);
        System.out.println("saved to " + out);
      }
    }
    return 0;
  }
}
