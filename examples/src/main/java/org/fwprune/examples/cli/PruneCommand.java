package org.fwprune.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fwprune.core.Cnn;
import org.fwprune.core.check.Require;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.examples.reproduce.Method;
import org.fwprune.examples.reproduce.MethodRunner;
import org.fwprune.examples.reproduce.ProgressListener;
import org.fwprune.examples.reproduce.ReproduceConfig;
import org.fwprune.pruning.PrunerBuilder;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.structured.StructuredResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Prunes a saved model with one method and saves the result. */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Prune a saved or Keras model with one method on the training split of MNIST"
        + " (train[0,55000)) or your own data (--data-format), print the pruning report and test"
        + " accuracy, and save the pruned model (as Keras when --out ends in .keras).")
final class PruneCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ModelDirOption model = new ModelDirOption();

  @Option(names = "--method", defaultValue = "gradual-magnitude", paramLabel = "METHOD",
      converter = MethodConverter.class,
      description = "One of one-shot, gradual-magnitude, fw, fw-momentum, structured-fw,"
          + " structured-l1 (the structured methods save a smaller network; --target-sparsity"
          + " does not apply to them) (default ${DEFAULT-VALUE}).")
  Method method;

  @Option(names = {"--target-sparsity", "--sparsity"}, defaultValue = "0.9", paramLabel = "FRACTION",
      description = "Fraction of zeros over the conv and dense kernels, in (0, 1)"
          + " (default ${DEFAULT-VALUE}).")
  double targetSparsity;

  @Option(names = "--out", required = true, paramLabel = "DIR|FILE.keras",
      description = "Folder to save the pruned model to (new, empty, or a saved model), or a"
          + " .keras file to write a Keras 3 archive.")
  Path out;

  @Option(names = "--steps", defaultValue = "430", paramLabel = "N",
      description = "Minibatch gradients, Frank-Wolfe steps included (default ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--lr", defaultValue = "0.01", paramLabel = "LR",
      description = "Fine-tune learning rate of SGD with momentum 0.9, in (0, 10], the same for"
          + " every method (default ${DEFAULT-VALUE}; the library's own defaults are 0.1 for the"
          + " unstructured pruners and 0.01 for StructuredPruner).")
  double learningRate;

  @Option(names = "--seed", defaultValue = "0", description = "Minibatch-order seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  SplitOptions data = new SplitOptions();

  /** Decays the fine-tune rate over the budget. */
  @Mixin
  LearningRateDecayOptions lrDecay = new LearningRateDecayOptions();

  @Override
  public Integer call() throws Exception {
    MethodRunner runner = runner();
    model.check();
    ExperimentData splits = data.load();
    Dataset train = splits.train();
    Dataset test = splits.test();
    try (Cnn cnn = model.load()) {
      model.checkFits(cnn, train, "the training data");
      Evaluation before = cnn.evaluate(test);
      if (method.isStructured()) {
        try (StructuredResult selected = runner.select(method, cnn, train, seed,
            Optional.empty())) {
          runner.fineTune(selected.model(), train, learningRate, seed, new ProgressListener() {});
          System.out.print(selected);
          System.out.printf("fine-tuned for %d steps%n", steps);
          report(before, selected.model().evaluate(test));
          save(selected.model());
        }
      } else {
        PruningReport report = runner.run(method, cnn, train, learningRate, seed,
            new ProgressListener() {}).report().orElseThrow();
        System.out.print(report);
        report(before, cnn.evaluate(test));
        save(cnn);
      }
      System.out.println("saved to " + out);
    }
    return 0;
  }

  private void save(Cnn pruned) throws java.io.IOException {
    if (ModelDirOption.isKerasFile(out)) {
      pruned.saveKeras(out);
    } else {
      pruned.save(out);
    }
  }

  private static void report(Evaluation before, Evaluation after) {
    System.out.printf("test accuracy %.4f -> %.4f, test loss %.4f -> %.4f%n",
        before.accuracy(), after.accuracy(), before.loss(), after.loss());
  }

  private MethodRunner runner() {
    if (!method.isPruning()) {
      throw new ParameterException(spec.commandLine(), "--method must be a pruning method (one-shot,"
          + " gradual-magnitude, fw, fw-momentum, structured-fw, structured-l1), got "
          + method.id());
    }
    UsageErrors.check(spec, () -> Require.inOpenClosed("--lr", learningRate, 0, 10));
    if (ModelDirOption.isKerasFile(out) && !out.getFileName().toString().endsWith(".keras")) {
      throw new ParameterException(spec.commandLine(), "--out " + out + ": Keras models are"
          + " written as .keras archives only (Keras 3's format), not as legacy .h5");
    }
    if (ModelDirOption.isKerasFile(out) ? Files.isDirectory(out)
        : Files.exists(out) && !Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is not a "
          + (ModelDirOption.isKerasFile(out) ? "file" : "folder"));
    }
    return UsageErrors.check(spec, () -> new MethodRunner(targetSparsity, steps,
        ReproduceConfig.DEFAULT_BATCH_SIZE, ReproduceConfig.DEFAULT_FINE_TUNE_MOMENTUM,
        PrunerBuilder.DEFAULT_PRUNING_FRACTION, lrDecay.schedule()));
  }
}
