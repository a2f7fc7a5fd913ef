package org.fwprune.core;

import java.nio.file.Path;
import org.fwprune.core.testing.SyntheticData;

/**
 * Saves two models alternately over one folder until killed; {@code CnnPersistenceTest} kills it
 * with SIGKILL at a random moment and checks the folder still loads.
 */
public final class SaveLoop {

  private SaveLoop() {}

  /** Arguments: the model folder. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (Cnn a = SyntheticData.smallCnn(8, 4, 1); Cnn b = SyntheticData.smallCnn(8, 4, 2)) {
      System.out.println("saving");
      System.out.flush();
      for (long i = 0; ; i++) {
        (i % 2 == 0 ? b : a).save(dir);
      }
    }
  }
}
