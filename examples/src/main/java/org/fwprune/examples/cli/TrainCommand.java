package org.fwprune.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.train.History;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a network (the paper's CNN by default) on MNIST with SGD and optionally saves it. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the paper's CNN or ResNet-20 on MNIST (first 55,000 images; the last 5,000 validate)"
        + " and report test accuracy.")
final class TrainCommand implements Callable<Integer> {

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  ModelOptions model = new ModelOptions();

  @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", defaultValue = "0.05", description = "SGD learning rate (default ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--momentum", defaultValue = "0",
      description = "Momentum in [0, 1); 0 = plain SGD (default ${DEFAULT-VALUE}).")
  double momentum;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--train-size", defaultValue = "55000",
      description = "Training images taken from the start of the training set (default ${DEFAULT-VALUE}).")
  int trainSize;

  @Option(names = "--out", paramLabel = "DIR", description = "Save the trained model to this folder.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Mnist mnist = data.load();
    if (trainSize < 1 || trainSize > 55_000) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--train-size must be in [1, 55000], got " + trainSize);
    }
    Dataset train = mnist.train().subset(0, trainSize);
    Dataset validation = mnist.train().subset(55_000, 60_000);
    if (momentum < 0 || momentum >= 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--momentum must be in [0, 1), got " + momentum);
    }
    try (Cnn cnn = model.create(spec);
        ProgressBarListener progress = new ProgressBarListener("train")) {
      History h = cnn.fit(train, Training.builder()
          .optimizer(momentum > 0 ? Optimizers.momentum(learningRate, momentum)
              : Optimizers.sgd(learningRate)).batchSize(batchSize).epochs(epochs)
          .seed(model.seed).validation(validation).listener(progress).build());
      Evaluation test = cnn.evaluate(mnist.test());
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
