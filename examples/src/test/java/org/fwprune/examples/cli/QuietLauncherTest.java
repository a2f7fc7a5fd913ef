package org.fwprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The child JVM's native start-up lines are filtered out; its own output and status are not. */
class QuietLauncherTest {

  @Test
  void run_probeUsingTensorFlow_hidesNativeInfoLinesAndKeepsOwnLineAndStatus() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = QuietLauncher.run(NativeLogProbe.class, err, "3");

    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(3, status, text);
    assertTrue(text.contains(NativeLogProbe.OWN_LINE + " 3.0"), text);
    assertFalse(text.contains("I0000"), text);
    assertFalse(text.contains("absl::InitializeLog"), text);
  }

  @Test
  void probeWithoutLauncher_printsNativeInfoLines() throws Exception {
    // Guards the test above against passing because TensorFlow stopped logging at start-up.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp",
        System.getProperty("java.class.path"), NativeLogProbe.class.getName(), "0"))
        .redirectErrorStream(true);
    builder.environment().remove(QuietLauncher.TF_LOG_LEVEL_VARIABLE);
    Process p = builder.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertEquals(0, p.waitFor(), text);
    assertTrue(text.contains("I0000") || text.contains(": I tensorflow/"), text);
  }

  @Test
  void isChild_markerNamingAnotherProcess_isFalse() {
    assertFalse(QuietLauncher.isChild(java.util.Map.of(QuietLauncher.CHILD_VARIABLE, "-1")));
  }
}
