package org.fwprune.examples.protocol;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.model.Cnn;
import org.fwprune.core.model.PaperNetwork;
import org.fwprune.core.train.OptimizerSpec;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.Pruner;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.schedule.StepSize;

/**
 * The cross-implementation check of the fw-pruning issue: the reference prototype's protocol
 * (docs/algorithms.md) run through this library. MNIST train[0, 55000) / validation
 * [55000, 60000) / test; a dense checkpoint after {@code epochs} of plain SGD (lr 0.05, batch
 * 128); each method on its own copy with exactly 430 minibatch gradients, 90% global sparsity,
 * fine-tune SGD momentum 0.9 at {@code lr}. Prints one line per method with validation and test
 * accuracy, sparsity and per-kernel sparsity.
 *
 * <p>Usage: {@code ReferenceProtocol DATA_DIR EPOCHS SEED [LR]}.
 */
public final class ReferenceProtocol {

  /** One method's outcome. */
  public record Row(String method, double validationAccuracy, double testAccuracy,
      double sparsity, List<Double> layerSparsity) {}

  private ReferenceProtocol() {}

  /** Runs the protocol from the command line. */
  public static void main(String[] args) throws IOException {
    Mnist mnist = Mnist.load(Path.of(args[0]));
    double lr = args.length > 3 ? Double.parseDouble(args[3]) : 0.01;
    for (Row r : run(mnist.train().subset(0, 55_000), mnist.train().subset(55_000, 60_000),
        mnist.test(), Integer.parseInt(args[1]), Long.parseLong(args[2]), lr, 430)) {
      System.out.printf("%-18s val=%.4f test=%.4f sparsity=%.5f layers=%s%n", r.method(),
          r.validationAccuracy(), r.testAccuracy(), r.sparsity(), r.layerSparsity());
    }
  }

  /** The protocol on any data: returns one row per method, dense rows first. */
  public static List<Row> run(Dataset train, Dataset validation, Dataset test, int epochs,
      long seed, double lr, long budget) {
    OptimizerSpec fineTune = Optimizers.momentum(lr, 0.9);
    Map<String, Pruner> methods = new LinkedHashMap<>();
    // Every setting is explicit, so later changes of the library defaults do not move this check.
    methods.put("one-shot", MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT)
        .steps(budget).fineTune(fineTune).seed(seed).build());
    methods.put("gradual-magnitude", MagnitudePruner.builder().initialSparsity(0.5)
        .pruningFraction(0.6).frequency(20).steps(budget).fineTune(fineTune).seed(seed).build());
    methods.put("fw", FwPruner.builder().momentum(0).initialSparsity(0.9).tau(20).frequency(20)
        .pruningFraction(0.6)
        .stepSize(StepSize.gradientRescaled(0.05)).steps(budget).fineTune(fineTune).seed(seed)
        .build());
    methods.put("fw-momentum", FwPruner.builder().momentum(0.9).tau(20).initialSparsity(0.5)
        .pruningFraction(0.6).frequency(20)
        .stepSize(StepSize.gradientRescaled(0.2)).steps(budget).fineTune(fineTune).seed(seed)
        .build());
    List<Row> rows = new ArrayList<>();
    try (Cnn dense = PaperNetwork.builder().seed(seed).build()) {
      dense.fit(train, Training.builder().optimizer(Optimizers.sgd(0.05)).epochs(epochs)
          .seed(seed).build());
      rows.add(new Row("dense", dense.evaluate(validation).accuracy(),
          dense.evaluate(test).accuracy(), 0, List.of()));
      try (Cnn on = dense.copy()) {
        on.fit(train, Training.builder().optimizer(fineTune).steps(budget).seed(seed).build());
        rows.add(new Row("dense-trained-on", on.evaluate(validation).accuracy(),
            on.evaluate(test).accuracy(), 0, List.of()));
      }
      for (Map.Entry<String, Pruner> e : methods.entrySet()) {
        try (Cnn m = dense.copy()) {
          PruningReport r = e.getValue().prune(m, train);
          rows.add(new Row(e.getKey(), m.evaluate(validation).accuracy(),
              m.evaluate(test).accuracy(), r.sparsity(),
              r.layers().stream().map(l -> Math.round(l.sparsity() * 1000) / 1000.0).toList()));
        }
      }
    }
    return rows;
  }
}
