package org.fwprune.examples.cli;

import java.util.concurrent.Callable;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.SparsityMeter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Reports a saved or Keras model's test accuracy and loss on MNIST or the user's own data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Print a saved or Keras model's test accuracy, test loss and kernel sparsity on"
        + " MNIST or your own data (--data-format).")
final class EvaluateCommand implements Callable<Integer> {

  @Mixin
  ModelDirOption model = new ModelDirOption();

  @Mixin
  SplitOptions data = new SplitOptions();

  @Override
  public Integer call() throws Exception {
    model.check();
    Dataset testSet = data.load().test();
    try (Cnn cnn = model.load()) {
      model.checkFits(cnn, testSet, "the test data");
      Evaluation test = cnn.evaluate(testSet);
      var layers = SparsityMeter.measure(cnn);
      long weights = layers.stream().mapToLong(PruningReport.LayerSparsity::parameters).sum();
      System.out.printf("test accuracy %.4f, test loss %.4f on %d images; %.2f%% of %,d kernel"
          + " weights are zero%n", test.accuracy(), test.loss(), test.size(),
          100 * SparsityMeter.overall(layers), weights);
    }
    return 0;
  }
}
