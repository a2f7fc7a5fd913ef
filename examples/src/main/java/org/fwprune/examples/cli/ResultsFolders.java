package org.fwprune.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The results folders of earlier {@code reproduce} runs that a command reads. */
final class ResultsFolders {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Parameters(paramLabel = "RESULTS_DIR", arity = "1..*",
      description = "Results folders of 'fwprune reproduce' runs.")
  List<Path> folders;

  /** Returns the folders; one that is not a folder is a usage error (exit status 2). */
  List<Path> folders() {
    for (Path folder : folders) {
      if (!Files.isDirectory(folder)) {
        throw new ParameterException(command.commandLine(), folder + " is not a folder");
      }
    }
    return List.copyOf(folders);
  }
}
