package org.fwprune.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM whose standard error passes through {@link NativeLogFilter},
 * so that TensorFlow's native start-up lines do not reach the user.
 *
 * <p>Why a second JVM: TensorFlow's C++ runtime writes those lines straight to file descriptor
 * 2, reads its log level ({@code TF_CPP_MIN_LOG_LEVEL}) from the process environment, and Abseil,
 * which writes some of them, reads no setting at all; a running JVM can neither set its own
 * environment nor redirect its own descriptor 2 (docs/tensorflow-java.md, "Native log lines").
 * The child gets {@code TF_CPP_MIN_LOG_LEVEL=1} unless the user set it, standard input and output
 * unchanged (so a terminal is still a terminal), and its exit status becomes the tool's.
 *
 * <p>Stopping the tool stops the child: on SIGINT or SIGTERM the parent's shutdown hook sends the
 * child SIGTERM and waits for it, and a child whose parent is gone (SIGKILL) halts within
 * {@link #PARENT_POLL}.
 */
final class QuietLauncher {

  /** Environment variable marking the child; its value is the parent's process id. */
  static final String CHILD_VARIABLE = "FWPRUNE_QUIET_CHILD";

  /** TensorFlow's native log level variable: 1 leaves out its INFO lines. */
  static final String TF_LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL";

  /** How often a child checks that its parent is still alive. */
  static final Duration PARENT_POLL = Duration.ofMillis(100);

  /** How long the parent waits for a child it asked to stop before it kills it. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private QuietLauncher() {}

  /**
   * Returns whether this process is a child started by {@link #run}, judged from its
   * environment: the marker must name this process's parent.
   */
  static boolean isChild(Map<String, String> environment) {
    String parent = environment.get(CHILD_VARIABLE);
    Optional<ProcessHandle> actual = ProcessHandle.current().parent();
    return parent != null && actual.isPresent()
        && parent.equals(Long.toString(actual.get().pid()));
  }

  /**
   * In a child, starts a daemon thread that halts the JVM once the parent is gone, as the parent's
   * own SIGKILL would have.
   */
  static void haltWithParent() {
    ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
    Thread watch = new Thread(() -> {
      try {
        while (parent.isAlive()) {
          Thread.sleep(PARENT_POLL.toMillis());
        }
        Runtime.getRuntime().halt(137);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "fwprune-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  /**
   * Runs {@code mainClass} with {@code args} in a child JVM with this JVM's options and class
   * path, copies its filtered standard error to {@code err}, and returns its exit status.
   *
   * @throws IOException if the child cannot be started
   */
  static int run(Class<?> mainClass, OutputStream err, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.PIPE);
    builder.environment().put(CHILD_VARIABLE, Long.toString(ProcessHandle.current().pid()));
    builder.environment().putIfAbsent(TF_LOG_LEVEL_VARIABLE, "1");
    Process child = builder.start();
    Thread stop = new Thread(() -> stop(child), "fwprune-stop-child");
    Runtime.getRuntime().addShutdownHook(stop);
    try (InputStream childErr = child.getErrorStream()) {
      NativeLogFilter.copy(childErr, err);
    }
    int status = child.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stop);
    } catch (IllegalStateException e) {
      // Shutdown has begun (a signal came as the child ended): the hook finds the child gone.
    }
    return status;
  }

  private static void stop(Process child) {
    if (!child.isAlive()) {
      return;
    }
    child.destroy();
    try {
      if (!child.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
