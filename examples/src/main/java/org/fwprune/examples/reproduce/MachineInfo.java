package org.fwprune.examples.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.TensorFlow;

/**
 * The machine a run measured its times on.
 *
 * @param os operating system name and version
 * @param arch CPU architecture as Java reports it
 * @param cores processors available to the JVM
 * @param cpu CPU model from {@code /proc/cpuinfo}, or {@code unknown}
 * @param java Java runtime version and vendor
 * @param tensorflow version of the TensorFlow native library
 */
public record MachineInfo(String os, String arch, int cores, String cpu, String java,
    String tensorflow) {

  /** This machine. */
  public static MachineInfo current() {
    return new MachineInfo(System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), cpuModel(),
        System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
            + System.getProperty("java.vendor") + ")",
        TensorFlow.version());
  }

  private static String cpuModel() {
    Path info = Path.of("/proc/cpuinfo");
    try {
      List<String> lines = Files.isReadable(info) ? Files.readAllLines(info) : List.of();
      return lines.stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    } catch (IOException e) {
      // Only a description: a machine without /proc still runs the experiment.
      return "unknown";
    }
  }
}
