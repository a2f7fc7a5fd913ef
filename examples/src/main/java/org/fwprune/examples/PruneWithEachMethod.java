package org.fwprune.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.Cnn;
import org.fwprune.core.PaperNetwork;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.Pruner;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.schedule.StepSize;

/**
 * Trains the paper's CNN once, then prunes a copy of it with each of the four pruners of the
 * paper, all with the same target and the same budget of minibatch gradients, and prints a table.
 */
public final class PruneWithEachMethod {

  /**
   * One pruner's outcome.
   *
   * @param name the method
   * @param report the pruner's report
   * @param test test metrics of the pruned copy
   */
  public record MethodResult(String name, PruningReport report, Evaluation test) {}

  /**
   * Every pruner's outcome.
   *
   * @param dense test metrics of the trained dense model
   * @param methods one entry per pruner, in the order of {@link #pruners}
   */
  public record Result(Evaluation dense, List<MethodResult> methods) {}

  /** A pruner with the name it is reported under. */
  private record Named(String name, Pruner pruner) {}

  private PruneWithEachMethod() {}

  /** Trains on MNIST for two epochs, prunes to 90% with 430 gradients each, prints the table. */
  public static void main(String[] args) throws IOException {
    Mnist mnist = args.length > 0 ? Mnist.load(Path.of(args[0])) : Mnist.load();
    Dataset train = mnist.train().subset(0, 55_000);
    try (Cnn model = PaperNetwork.builder().seed(0).build()) {
      model.fit(train, Training.builder().optimizer(Optimizers.sgd(0.05)).epochs(2).build());
      Result result = run(model, train, mnist.test(), 0.9, 430);
      System.out.printf("%-20s %9s %9s %10s%n", "method", "accuracy", "sparsity", "seconds");
      System.out.printf("%-20s %9.4f %9s %10s%n", "dense", result.dense().accuracy(), "0", "");
      for (MethodResult m : result.methods()) {
        System.out.printf("%-20s %9.4f %9.4f %10.1f%n", m.name(), m.test().accuracy(),
            m.report().sparsity(), m.report().seconds());
      }
    }
  }

  /**
   * Prunes a copy of {@code trained} with each pruner; {@code trained} itself is not changed.
   *
   * @param targetSparsity fraction of zeros over the kernels, in [0, 1)
   * @param steps minibatch gradients per pruner, Frank-Wolfe steps included
   */
  public static Result run(Cnn trained, Dataset train, Dataset test, double targetSparsity,
      long steps) {
    List<MethodResult> results = new ArrayList<>();
    for (Named p : pruners(targetSparsity, steps)) {
      try (Cnn copy = trained.copy()) {
        PruningReport report = p.pruner().prune(copy, train);
        results.add(new MethodResult(p.name(), report, copy.evaluate(test)));
      }
    }
    return new Result(trained.evaluate(test), results);
  }

  /** The paper's pruners with the reference prototype's settings (docs/pruner-defaults.md). */
  private static List<Named> pruners(double target, long steps) {
    return List.of(
        new Named("one-shot magnitude", MagnitudePruner.builder()
            .mode(MagnitudePruner.Mode.ONE_SHOT).targetSparsity(target).steps(steps).build()),
        new Named("gradual magnitude", MagnitudePruner.builder()
            .mode(MagnitudePruner.Mode.GRADUAL).targetSparsity(target).steps(steps).build()),
        new Named("fw", FwPruner.builder()
            .momentum(0).initialSparsity(target).stepSize(StepSize.gradientRescaled(0.05))
            .targetSparsity(target).steps(steps).build()),
        new Named("fw + momentum", FwPruner.builder()
            .targetSparsity(target).steps(steps).build()));
  }
}
