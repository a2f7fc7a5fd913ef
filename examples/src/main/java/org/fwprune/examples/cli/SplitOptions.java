package org.fwprune.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import org.fwprune.core.data.Cifar;
import org.fwprune.core.data.Dataset;
import org.fwprune.core.data.ImageFolder;
import org.fwprune.core.data.LabelledImages;
import org.fwprune.examples.reproduce.ExperimentData;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The data options of commands that also take users' own data: where it is, its format, the
 * image size and colour for image folders, and the validation split. Every format is split the
 * same way: the test set as stored, the last {@code --validation-size} training images for
 * validation, the rest for training; for MNIST that is the reference split (55,000 / 5,000 /
 * 10,000).
 */
final class SplitOptions {

  /** The formats {@code --data-format} accepts. */
  enum Format {
    /** MNIST's four IDX files. */
    IDX,
    /** The CIFAR-10 or CIFAR-100 binary files. */
    CIFAR,
    /** Image folders {@code train/<class>/...} and {@code test/<class>/...}. */
    FOLDER
  }

  /** CIFAR-10's training files; its test file is {@value #CIFAR_10_TEST}. */
  static final List<String> CIFAR_10_TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin",
      "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");

  static final String CIFAR_10_TEST = "test_batch.bin";

  /** Seed of the shuffle that mixes an image folder's classes before the validation split. */
  static final long FOLDER_SPLIT_SEED = 0;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--data", paramLabel = "DIR", descriptionKey = "SplitOptions.data")
  Path folder;

  @Option(names = "--data-format", defaultValue = "idx", paramLabel = "idx|cifar|folder",
      descriptionKey = "SplitOptions.data-format")
  Format format;

  @Option(names = "--image-size", defaultValue = "32", paramLabel = "N",
      descriptionKey = "SplitOptions.image-size")
  int imageSize;

  @Option(names = "--color", defaultValue = "rgb", paramLabel = "rgb|grayscale",
      descriptionKey = "SplitOptions.color")
  ImageFolder.Color color;

  @Option(names = "--validation-size", defaultValue = "5000", paramLabel = "N",
      descriptionKey = "SplitOptions.validation-size")
  int validationSize;

  /** Loads the data and splits it into training, validation and test sets. */
  ExperimentData load() throws IOException {
    if (format != Format.IDX && folder == null) {
      throw usage("--data-format " + lower(format) + " needs --data DIR");
    }
    if (format != Format.FOLDER && (imageSize != 32 || color != ImageFolder.Color.RGB)) {
      throw usage("--image-size and --color apply to --data-format folder only");
    }
    return switch (format) {
      case IDX -> {
        var mnist = DataOptions.load(command.commandLine(), folder);
        yield split(mnist.train(), mnist.test());
      }
      case CIFAR -> cifar();
      case FOLDER -> imageFolders();
    };
  }

  private ExperimentData cifar() throws IOException {
    if (Files.isRegularFile(folder.resolve("train.bin"))) {
      return split(Cifar.load(List.of(folder.resolve("train.bin")), Cifar.Format.CIFAR_100_FINE),
          Cifar.load(List.of(folder.resolve("test.bin")), Cifar.Format.CIFAR_100_FINE));
    }
    if (!Files.isRegularFile(folder.resolve(CIFAR_10_TRAIN.get(0)))) {
      throw usage("--data " + folder + ": holds neither CIFAR-10's " + CIFAR_10_TRAIN.get(0)
          + " nor CIFAR-100's train.bin");
    }
    return split(
        Cifar.load(CIFAR_10_TRAIN.stream().map(folder::resolve).toList(), Cifar.Format.CIFAR_10),
        Cifar.load(List.of(folder.resolve(CIFAR_10_TEST)), Cifar.Format.CIFAR_10));
  }

  private ExperimentData imageFolders() throws IOException {
    ImageFolder loader;
    try {
      loader = ImageFolder.builder().imageSize(imageSize, imageSize).color(color).build();
    } catch (IllegalArgumentException e) {
      throw usage("--image-size: " + e.getMessage());
    }
    LabelledImages train;
    LabelledImages test;
    try {
      train = loader.load(folder.resolve("train"));
      test = loader.load(folder.resolve("test"));
    } catch (NoSuchFileException e) {
      throw usage("--data " + folder + ": " + e.getFile() + ": " + e.getReason());
    }
    if (!train.classNames().equals(test.classNames())) {
      throw usage("--data " + folder + ": train/ has classes " + train.classNames()
          + " but test/ has " + test.classNames());
    }
    List<Integer> order = new ArrayList<>(
        IntStream.range(0, train.data().size()).boxed().toList());
    Collections.shuffle(order, new Random(FOLDER_SPLIT_SEED));
    return split(train.data().select(order.stream().mapToInt(Integer::intValue).toArray()),
        test.data());
  }

  private ExperimentData split(Dataset all, Dataset test) {
    if (validationSize < 1 || validationSize >= all.size()) {
      throw usage("--validation-size must be in [1, " + (all.size() - 1) + "] for "
          + all.size() + " training images, got " + validationSize);
    }
    int trainSize = all.size() - validationSize;
    return new ExperimentData(all.subset(0, trainSize), all.subset(trainSize, all.size()), test);
  }

  private ParameterException usage(String message) {
    return new ParameterException(command.commandLine(), message);
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
