package org.fwprune.examples.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures of this process, read from {@code /proc/self/status} (Linux only). */
public final class ProcessMemory {

  private ProcessMemory() {}

  /** Current resident set size in kB ({@code VmRSS}). */
  public static long residentKb() throws IOException {
    return field("VmRSS");
  }

  /** Peak resident set size in kB ({@code VmHWM}). */
  public static long peakResidentKb() throws IOException {
    return field("VmHWM");
  }

  private static long field(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException(name + " not found in /proc/self/status (Linux only)");
  }
}
