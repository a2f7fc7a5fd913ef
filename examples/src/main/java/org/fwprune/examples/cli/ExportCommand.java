package org.fwprune.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fwprune.core.Cnn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Exports a saved model for serving: a TensorFlow SavedModel or an ONNX file. */
@Command(name = "export", resourceBundle = "org.fwprune.examples.cli.ExportCommand",
    mixinStandardHelpOptions = true,
    description = {"Export a saved model for serving; masks are folded into the weights.",
        "savedmodel: a TensorFlow SavedModel folder (tag serve, signature serving_default, input"
            + " 'images', output 'output').",
        "onnx: an ONNX file (opset 17, input 'images' [batch, height, width, channels], output"
            + " 'output' [batch, classes]), replaced atomically."})
final class ExportCommand implements Callable<Integer> {

  /** The file formats the command writes. */
  enum Format {
    /** A TensorFlow SavedModel folder. */
    SAVEDMODEL,
    /** An ONNX model file. */
    ONNX
  }

  @Spec
  CommandSpec spec;

  @Mixin
  ModelDirOption model = new ModelDirOption();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "savedmodel")
  Format format = Format.SAVEDMODEL;

  @Option(names = "--out", required = true, paramLabel = "PATH")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (format == Format.SAVEDMODEL && Files.exists(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out
          + " already exists; the SavedModel goes to a new folder");
    }
    if (format == Format.ONNX && Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out
          + " is a folder; --format onnx writes a file, e.g. --out model.onnx");
    }
    try (Cnn cnn = model.load()) {
      if (format == Format.ONNX) {
        cnn.exportOnnx(out);
      } else {
        cnn.exportSavedModel(out);
      }
    }
    System.out.println("exported " + (format == Format.ONNX ? "ONNX" : "SavedModel") + " to "
        + out);
    return 0;
  }
}
