package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.Mnist;

/**
 * The three splits of an experiment: training data for pre-training and every method, validation
 * data for choosing learning rates, test data for the reported numbers.
 *
 * @param train training examples
 * @param validation examples used only to choose each method's fine-tune learning rate
 * @param test examples used only for the reported metrics
 */
public record ExperimentData(Dataset train, Dataset validation, Dataset test) {

  /** Training images of MNIST used for training: the first 55,000. */
  public static final int MNIST_TRAIN_SIZE = 55_000;

  /** Checks that every split is present, non-empty and shaped alike. */
  public ExperimentData {
    checkArgument(train != null && train.size() > 0, "train must be a non-empty data set, got %s",
        train);
    checkArgument(validation != null && validation.size() > 0,
        "validation must be a non-empty data set, got %s", validation);
    checkArgument(test != null && test.size() > 0, "test must be a non-empty data set, got %s",
        test);
    checkArgument(sameShape(train, validation) && sameShape(train, test),
        "expected the three splits to share one image shape, found train %s, validation %s,"
            + " test %s", train, validation, test);
  }

  /**
   * The reference protocol's MNIST splits: train on training images [0, 55000), validate on
   * [55000, 60000), test on the 10,000 test images.
   */
  public static ExperimentData mnist(Mnist mnist) {
    Dataset all = mnist.train();
    return new ExperimentData(all.subset(0, MNIST_TRAIN_SIZE),
        all.subset(MNIST_TRAIN_SIZE, all.size()), mnist.test());
  }

  /** The split sizes and shape, e.g. {@code train 55000, validation 5000, test 10000, 28x28x1}. */
  public String describe() {
    return String.format("train %d, validation %d, test %d, %dx%dx%d, %d classes", train.size(),
        validation.size(), test.size(), train.height(), train.width(), train.channels(),
        train.numClasses());
  }

  private static boolean sameShape(Dataset a, Dataset b) {
    return a.height() == b.height() && a.width() == b.width() && a.channels() == b.channels();
  }
}
