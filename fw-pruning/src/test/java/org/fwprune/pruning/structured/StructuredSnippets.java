package org.fwprune.pruning.structured;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.eval.InferenceTimer;
import org.fwprune.core.train.Optimizers;

/**
 * The code shown in docs/structured.md, compiled here so the page cannot drift from the API;
 * {@code DocSnippetsTest} checks that every ```java block of the page appears in this file.
 */
@SuppressWarnings("unused")
final class StructuredSnippets {

  private StructuredSnippets() {}

  static void prune(Dataset train, Dataset validation, Dataset test) throws IOException {
    try (Cnn dense = Cnn.load(Path.of("dense-model"))) {
      StructuredPruner greedy = StructuredPruner.builder()
          .keep(KeepRule.accuracy(0.98, 0.5))  // stop at 98% of the dense subset accuracy
          .candidates(32).subsampleSize(128)
          .fineTune(Optimizers.momentum(0.01, 0.9)).fineTuneEpochs(1)
          .validation(validation).seed(0)
          .build();
      try (StructuredResult fw = greedy.prune(dense, train);
          StructuredResult l1 = StructuredPruner.builder()
              .selection(SelectionMethod.L1_NORM)
              .keep(KeepRule.counts(fw.keptCounts()))  // same filters per layer: equal FLOPs
              .fineTune(Optimizers.momentum(0.01, 0.9)).fineTuneEpochs(1)
              .validation(validation).seed(0)
              .build().prune(dense, train)) {
        System.out.print(fw);                   // kept filters, parameters, FLOPs, accuracy
        System.out.print(l1);
        System.out.print(fw.model().summary());
        fw.model().save(Path.of("structured-model"));
        fw.model().exportSavedModel(Path.of("structured-savedmodel"));
        List<InferenceTimer.Timing> t = InferenceTimer.measure(
            List.of(dense, fw.model()), test, 1000, 5, 20);
      }
    }
  }

  static void surgery(Cnn model) {
    try (Cnn smaller = FilterSurgery.shrink(model,
        Map.of("conv2d_1", List.of(0, 3, 7), "conv2d_2", List.of(1, 2)))) {
      long flops = Flops.perExample(smaller.architecture());
    }
  }
}
