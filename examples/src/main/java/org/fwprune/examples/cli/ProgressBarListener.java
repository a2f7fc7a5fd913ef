package org.fwprune.examples.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fwprune.core.train.EpochStats;
import org.fwprune.core.train.TrainingListener;

/** Draws a terminal progress bar per epoch and prints a one-line summary when each ends. */
final class ProgressBarListener implements TrainingListener, AutoCloseable {

  private final String task;
  private ProgressBar bar;
  private int stepsPerEpoch;
  private int epochs;

  private final boolean interactive;

  ProgressBarListener(String task) {
    this.task = task;
    // Bars only on a terminal: redirected output gets the one-line summaries alone.
    this.interactive = System.console() != null;
  }

  @Override
  public void onStart(int epochs, int stepsPerEpoch) {
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public void onStep(int epoch, int step, double loss) {
    if (!interactive) {
      return;
    }
    if (bar == null) {
      bar = new ProgressBarBuilder().setTaskName(task + " " + epoch + "/" + epochs)
          .setInitialMax(stepsPerEpoch).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250).continuousUpdate().clearDisplayOnFinish().build();
    }
    bar.stepTo(step);
    bar.setExtraMessage(String.format("loss %.4f", loss));
  }

  @Override
  public void onEpochEnd(EpochStats s) {
    close();
    System.out.printf("%s epoch %d: loss %.4f, accuracy %.4f, %.1f s%s%n", task, s.epoch(),
        s.loss(), s.accuracy(), s.seconds(), Double.isNaN(s.validationAccuracy()) ? ""
            : String.format(", validation accuracy %.4f", s.validationAccuracy()));
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
