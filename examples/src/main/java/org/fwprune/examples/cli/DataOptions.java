package org.fwprune.examples.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.fwprune.core.data.Mnist;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --data} option shared by commands that read MNIST (a picocli mixin). */
public final class DataOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--data", paramLabel = "DIR", descriptionKey = "DataOptions.data")
  Path folder;

  /**
   * Loads MNIST. A {@code --data} folder that is missing or incomplete is a usage error (exit
   * status 2) whose message says how to get the files.
   */
  public Mnist load() throws IOException {
    return load(command.commandLine(), folder);
  }

  /** Loads MNIST from {@code folder}, or from wherever Mnist.load() finds it when null. */
  static Mnist load(CommandLine commandLine, Path folder) throws IOException {
    if (folder == null) {
      return Mnist.load();
    }
    try {
      return Mnist.load(folder);
    } catch (NoSuchFileException e) {
      throw new ParameterException(commandLine, "--data " + folder + ": " + e.getReason());
    }
  }
}
