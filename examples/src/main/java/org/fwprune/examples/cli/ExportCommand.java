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

/** Exports a saved model as a TensorFlow SavedModel. */
@Command(name = "export", resourceBundle = "org.fwprune.examples.cli.ExportCommand",
    mixinStandardHelpOptions = true,
    description = "Export a saved model as a TensorFlow SavedModel (tag serve, signature"
        + " serving_default, input 'images', output 'output'); masks are folded into the weights.")
final class ExportCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ModelDirOption model = new ModelDirOption();

  @Option(names = "--out", required = true, paramLabel = "DIR")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out
          + " already exists; the SavedModel goes to a new folder");
    }
    try (Cnn cnn = model.load()) {
      cnn.exportSavedModel(out);
    }
    System.out.println("exported SavedModel to " + out);
    return 0;
  }
}
