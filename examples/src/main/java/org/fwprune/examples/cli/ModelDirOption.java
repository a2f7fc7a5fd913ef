package org.fwprune.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --model} option of commands that read a model: a folder saved by
 * {@code train --out}, or a Keras file ({@code .keras} archive or legacy {@code .h5}).
 */
final class ModelDirOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--model", paramLabel = "DIR|FILE.keras|FILE.h5", required = true,
      descriptionKey = "ModelDirOption.model")
  Path dir;

  /** Whether {@code path} names a Keras model file (by its extension). */
  static boolean isKerasFile(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    return name.endsWith(".keras") || name.endsWith(".h5");
  }

  /**
   * Checks that the folder or Keras file exists, before slower work such as loading data; else a
   * usage error.
   */
  void check() {
    if (isKerasFile(dir) ? !Files.isRegularFile(dir) : !Files.isDirectory(dir)) {
      throw new ParameterException(command.commandLine(), "--model " + dir
          + (isKerasFile(dir) ? " is not a file" : " is not a folder; save a model with"
              + " 'fwprune train --out DIR' first, or give a .keras or .h5 file"));
    }
  }

  /** Loads the model; a missing folder or file, or an unsupported Keras model, is a usage error. */
  Cnn load() throws IOException {
    check();
    if (!isKerasFile(dir)) {
      return Cnn.load(dir);
    }
    try {
      return Cnn.loadKeras(dir);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--model " + e.getMessage());
    }
  }

  /** Checks that {@code data} fits the model's input; a mismatch is a usage error. */
  void checkFits(Cnn model, Dataset data, String role) {
    try {
      model.checkCompatible(data, role);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--model " + dir + ": "
          + e.getMessage());
    }
  }
}
