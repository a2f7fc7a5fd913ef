/**
 * fwprune core: define a convolutional network ({@link org.fwprune.core.Cnn}), train, evaluate,
 * save, load and export it on TensorFlow Java.
 *
 * <p>Exported to every user: the facade ({@code org.fwprune.core}), data sets, the layer
 * specification, training settings, evaluation results and timing, Keras limits, execution
 * options and serving (the predictor and its engine service). The engine (the running graph, the training loop, the file formats' readers and
 * writers, argument checks and atomic files) stays in packages exported only to the library's
 * own pruning module, or to no one (docs/architecture.md, "What is exported").
 */
// "module": the qualified exports name org.fwprune.pruning, built after core, so javac cannot see
// it yet. "requires-automatic": jHDF 0.10.0 has only an Automatic-Module-Name.
@SuppressWarnings({"module", "requires-automatic"})
module org.fwprune.core {
  requires transitive tensorflow;
  requires tensorflow.framework;
  requires com.google.common;
  requires com.fasterxml.jackson.databind;
  requires com.google.protobuf;
  requires org.apache.commons.compress;
  requires io.jhdf;
  requires java.desktop;
  requires java.management;
  requires java.net.http;
  requires jdk.management;

  exports org.fwprune.core;
  exports org.fwprune.core.data;
  exports org.fwprune.core.eval;
  exports org.fwprune.core.keras;
  exports org.fwprune.core.model;
  exports org.fwprune.core.runtime;
  exports org.fwprune.core.serving;
  exports org.fwprune.core.train;

  // The engine that fw-pruning's pruners build on (Cnn.prunable() hands out a PrunableModel).
  exports org.fwprune.core.check to org.fwprune.pruning;
  exports org.fwprune.core.runtime.internal to org.fwprune.pruning;
  exports org.fwprune.core.train.internal to org.fwprune.pruning;

  // Cnn.predictor() serves with an engine another module provides (fwprune-onnxruntime), if any.
  uses org.fwprune.core.serving.PredictorEngine;

  // Jackson reads and writes the architecture and model-folder records by reflection.
  opens org.fwprune.core.model to com.fasterxml.jackson.databind;
  opens org.fwprune.core.store to com.fasterxml.jackson.databind;
  opens org.fwprune.core.keras.internal to com.fasterxml.jackson.databind;
}
