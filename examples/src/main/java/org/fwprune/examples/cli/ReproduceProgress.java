package org.fwprune.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fwprune.examples.reproduce.CellResult;
import org.fwprune.examples.reproduce.ProgressListener;
import org.fwprune.examples.reproduce.Tuning;

/**
 * Shows a reproduction's progress: a bar over all its minibatch gradients when a terminal is
 * attached, and on stdout a line per pre-training phase, per tuned method and per finished cell.
 */
final class ReproduceProgress implements ProgressListener, AutoCloseable {

  private final PrintStream out;
  private final boolean interactive;
  private ProgressBar bar;

  ReproduceProgress(PrintStream out) {
    this.out = out;
    // A bar only on a terminal: redirected output gets the lines alone.
    this.interactive = System.console() != null;
  }

  @Override
  public void onStart(long gradients, int cells, int skipped) {
    line(String.format(Locale.ROOT, "%d cells to run%s, %,d minibatch gradients", cells,
        skipped > 0 ? " (" + skipped + " already done)" : "", gradients));
    if (interactive && gradients > 0) {
      bar = new ProgressBarBuilder().setTaskName("reproduce").setInitialMax(gradients)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate()
          .build();
    }
  }

  @Override
  public void onPhase(String description) {
    if (bar != null) {
      bar.setExtraMessage(description);
    }
    if (description.startsWith("pre-train")) {
      line(description);
    }
  }

  @Override
  public void onGradients(long count) {
    if (bar != null) {
      bar.stepBy(count);
    }
  }

  @Override
  public void onTuned(Tuning.MethodTuning t) {
    line(String.format(Locale.ROOT, "tuned %s: lr %s (validation accuracy %s)", t.method().id(),
        t.chosenLearningRate(), t.candidates().stream()
            .map(c -> c.learningRate() + ": " + (Double.isNaN(c.validationAccuracy()) ? "diverged"
                : String.format(Locale.ROOT, "%.2f%%", 100 * c.validationAccuracy())))
            .collect(Collectors.joining(", "))));
  }

  @Override
  public void onCellFinished(CellResult result) {
    line(result.summaryLine());
  }

  @Override
  public void onFinish() {
    close();
  }

  private void line(String text) {
    if (bar != null) {
      // Clear the bar's line on the terminal so the text does not land in the middle of it.
      System.err.print("\r\033[2K");
      System.err.flush();
    }
    out.println(text);
    out.flush();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
