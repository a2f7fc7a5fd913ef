package org.fwprune.examples.cli;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A program for {@link QuietLauncherTest}: runs one TensorFlow session (which makes the native
 * runtime log its start-up lines), writes a line of its own to standard error, and exits with
 * the status given as its argument.
 */
final class NativeLogProbe {

  static final String OWN_LINE = "probe: own line on stderr";

  private NativeLogProbe() {}

  public static void main(String[] args) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      try (TFloat32 t = (TFloat32) s.runner().fetch(tf.math.add(tf.constant(1f), tf.constant(2f)))
          .run().get(0)) {
        System.err.println(OWN_LINE + " " + t.getFloat());
      }
    }
    System.exit(Integer.parseInt(args[0]));
  }
}
