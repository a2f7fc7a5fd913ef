package org.fwprune.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.fwprune.core.Cnn;
import org.fwprune.core.PaperNetwork;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.PruningReport;

/**
 * The shortest complete use of the library: build the paper's CNN, train it, prune it to 90%
 * zeros with Frank-Wolfe + momentum, print the report. Run with the MNIST folder as argument
 * (default: {@code Mnist.load()}'s search).
 */
public final class QuickStart {

  /**
   * What the quick start measured.
   *
   * @param dense test metrics after training
   * @param report the pruner's report
   * @param pruned test metrics after pruning
   */
  public record Result(Evaluation dense, PruningReport report, Evaluation pruned) {}

  private QuickStart() {}

  /** Trains on MNIST train[0,55000) for one epoch, prunes, and prints the results. */
  public static void main(String[] args) throws IOException {
    Mnist mnist = args.length > 0 ? Mnist.load(Path.of(args[0])) : Mnist.load();
    try (Cnn model = PaperNetwork.builder().seed(42).build()) {
      Result r = run(model, mnist.train().subset(0, 55_000), mnist.test(), 1);
      System.out.print(r.report());
      System.out.printf("test accuracy: dense %.4f, pruned %.4f%n", r.dense().accuracy(),
          r.pruned().accuracy());
    }
  }

  /** Trains {@code model} with SGD for {@code epochs}, then prunes it in place to 90% zeros. */
  public static Result run(Cnn model, Dataset train, Dataset test, int epochs) {
    model.fit(train, Training.builder().optimizer(Optimizers.sgd(0.05)).epochs(epochs).build());
    Evaluation dense = model.evaluate(test);
    PruningReport report = FwPruner.builder().targetSparsity(0.9).build().prune(model, train);
    return new Result(dense, report, model.evaluate(test));
  }
}
