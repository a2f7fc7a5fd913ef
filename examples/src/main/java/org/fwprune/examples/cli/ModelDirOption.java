package org.fwprune.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.model.Cnn;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --model} option of commands that read a model saved by {@code train --out}. */
final class ModelDirOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Folder of a saved model (written by 'fwprune train --out' or 'prune --out').")
  Path dir;

  /** Checks that the folder exists, before slower work such as loading data; else a usage error. */
  void check() {
    if (!Files.isDirectory(dir)) {
      throw new ParameterException(command.commandLine(), "--model " + dir
          + " is not a folder; save a model with 'fwprune train --out DIR' first");
    }
  }

  /** Loads the model; a missing folder is a usage error. */
  Cnn load() throws IOException {
    check();
    return Cnn.load(dir);
  }

  /** Checks that {@code data} fits the model's input; a mismatch is a usage error. */
  void checkFits(Cnn model, Dataset data, String role) {
    try {
      model.graph().checkCompatible(data, role);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--model " + dir + ": "
          + e.getMessage());
    }
  }
}
