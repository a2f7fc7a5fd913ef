package org.fwprune.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.fwprune.core.data.Mnist;
import picocli.CommandLine.Option;

/** The {@code --data} option shared by commands that read MNIST. */
final class DataOptions {

  @Option(names = "--data", paramLabel = "DIR",
      description = "Folder with the four MNIST IDX files (.gz or raw). Default: $FWPRUNE_DATA_DIR,"
          + " then ~/.fwprune/datasets/mnist, then a download.")
  Path folder;

  Mnist load() throws IOException {
    return folder == null ? Mnist.load() : Mnist.load(folder);
  }
}
