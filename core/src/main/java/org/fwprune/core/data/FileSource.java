package org.fwprune.core.data;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Set;

/** One place that missing dataset files can come from; {@link DatasetResolver} tries each. */
interface FileSource {

  /**
   * Moves what it can of {@code missing} into {@code cache}, each verified and written atomically,
   * removes those names from {@code missing}, and notes in {@code attempts} what failed.
   *
   * @throws InterruptedIOException if the thread is interrupted; other failures are only noted
   */
  void fetch(Set<String> missing, Path cache, Attempts attempts) throws InterruptedIOException;
}
