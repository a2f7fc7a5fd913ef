package org.fwprune.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.train.TrainingListener;
import org.fwprune.examples.reproduce.ExperimentData;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.catalogue.FineTune;
import org.fwprune.pruning.catalogue.MethodSettings;
import org.fwprune.pruning.catalogue.PruningMethod;
import org.fwprune.pruning.structured.StructuredResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Prunes a saved model with one method of the library's catalogue and saves the result. */
@Command(name = "prune", resourceBundle = "org.fwprune.examples.cli.PruneCommand",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = "Prune a saved or Keras model with one method on the training split of MNIST"
        + " (train[0,55000)) or your own data (--data-format), print the pruning report and test"
        + " accuracy, and save the pruned model (as Keras when --out ends in .keras).")
final class PruneCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ModelDirOption model = new ModelDirOption();

  @Option(names = "--method", defaultValue = "gradual-magnitude", paramLabel = "METHOD",
      converter = PruningMethodConverter.class)
  PruningMethod method;

  @Option(names = "--out", required = true, paramLabel = "DIR|FILE.keras")
  Path out;

  @Mixin
  MethodSettingsOptions methodSettings = new MethodSettingsOptions();

  @Mixin
  SplitOptions data = new SplitOptions();

  @Override
  public Integer call() throws Exception {
    checkOut();
    MethodSettings settings = methodSettings.settings();
    model.check();
    ExperimentData splits = data.load();
    Dataset train = splits.train();
    Dataset test = splits.test();
    try (Cnn cnn = model.load()) {
      model.checkFits(cnn, train, "the training data");
      Evaluation before = cnn.evaluate(test);
      if (method.isStructured()) {
        Optional<Map<String, Integer>> counts = Optional.empty();
        if (method == PruningMethod.STRUCTURED_L1) {
          // Equal FLOPs: as many filters per layer as structured-fw keeps with the same seed.
          try (StructuredResult greedy = PruningMethod.STRUCTURED_FW
              .filterSelection(settings, Optional.empty()).prune(cnn, train)) {
            counts = Optional.of(greedy.keptCounts());
          }
        }
        try (StructuredResult selected = method.filterSelection(settings, counts)
            .prune(cnn, train)) {
          FineTune.run(selected.model(), train, settings, new TrainingListener() {});
          System.out.print(selected);
          System.out.printf("fine-tuned for %d steps%n", settings.steps());
          report(before, selected.model().evaluate(test));
          save(selected.model());
        }
      } else {
        PruningReport report = method.pruner(settings).prune(cnn, train);
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

  private void checkOut() {
    if (ModelDirOption.isKerasFile(out) && !out.getFileName().toString().endsWith(".keras")) {
      throw new ParameterException(spec.commandLine(), "--out " + out + ": Keras models are"
          + " written as .keras archives only (Keras 3's format), not as legacy .h5");
    }
    if (ModelDirOption.isKerasFile(out) ? Files.isDirectory(out)
        : Files.exists(out) && !Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is not a "
          + (ModelDirOption.isKerasFile(out) ? "file" : "folder"));
    }
  }
}
