package org.fwprune.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fwprune.core.data.Mnist;
import org.fwprune.examples.reproduce.Aggregate;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.ModelFactory;
import org.fwprune.examples.reproduce.ProgressListener;
import org.fwprune.examples.reproduce.ReproduceConfig;
import org.fwprune.examples.reproduce.Reproduction;
import org.fwprune.examples.reproduce.ResultsFolder;

/**
 * Compares every method at the 1- and 2-epoch checkpoints of the paper's CNN with the
 * reproduction API: each method's fine-tune learning rate is tuned on validation, then every
 * method gets the same budget. Writes a results folder (csv, json, charts, summary) and returns
 * the means per method and budget.
 */
public final class CompareMethods {

  /**
   * What the comparison found.
   *
   * @param summary mean and standard deviation over seeds per method and budget
   * @param learningRates the fine-tune learning rate chosen for each method
   */
  public record Result(List<Aggregate> summary, Map<String, Double> learningRates) {}

  private CompareMethods() {}

  /**
   * Runs on MNIST (folder as first argument) into {@code results/compare-methods}, continuing a
   * previous run there, and prints the summary.
   */
  public static void main(String[] args) throws IOException {
    Mnist mnist = args.length > 0 ? Mnist.load(Path.of(args[0])) : Mnist.load();
    Path out = Path.of("results", "compare-methods");
    ReproduceConfig config = ReproduceConfig.builder().budgets(List.of(1, 2)).seeds(1)
        .lrGrid(List.of(0.01, 0.1)).tuneBudget(1).resume(true).build();
    run(ExperimentData.mnist(mnist), ModelFactory.paper(0), config, out);
    System.out.print(Files.readString(out.resolve(ResultsFolder.SUMMARY_FILE)));
  }

  /** Runs {@code config} on {@code data} with networks from {@code models}, writing into {@code out}. */
  public static Result run(ExperimentData data, ModelFactory models, ReproduceConfig config,
      Path out) throws IOException {
    Reproduction.Outcome outcome = new Reproduction(config, data, models,
        new ProgressListener() {}).run(out);
    return new Result(outcome.report().summary(), outcome.report().chosenLearningRates());
  }
}
