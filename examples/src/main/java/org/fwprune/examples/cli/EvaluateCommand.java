package org.fwprune.examples.cli;

import java.util.concurrent.Callable;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.model.Cnn;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.mask.SparsityMeter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Reports a saved model's test accuracy and loss on MNIST. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Print a saved model's MNIST test accuracy, test loss and kernel sparsity.")
final class EvaluateCommand implements Callable<Integer> {

  @Mixin
  ModelDirOption model = new ModelDirOption();

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    model.check();
    Mnist mnist = data.load();
    try (Cnn cnn = model.load()) {
      model.checkFits(cnn, mnist.test(), "MNIST");
      Evaluation test = cnn.evaluate(mnist.test());
      var layers = SparsityMeter.measure(cnn);
      long weights = layers.stream().mapToLong(PruningReport.LayerSparsity::parameters).sum();
      System.out.printf("test accuracy %.4f, test loss %.4f on %d images; %.2f%% of %,d kernel"
          + " weights are zero%n", test.accuracy(), test.loss(), test.size(),
          100 * SparsityMeter.overall(layers), weights);
    }
    return 0;
  }
}
