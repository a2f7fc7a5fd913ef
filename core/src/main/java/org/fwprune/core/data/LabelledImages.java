package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;

/**
 * A data set with the names of its classes: label {@code i} of {@code data} is class {@code
 * classNames.get(i)}.
 *
 * @param data the images and labels
 * @param classNames one name per class, in label order
 */
public record LabelledImages(Dataset data, List<String> classNames) {

  /** Checks that there is one name per class and copies the names. */
  public LabelledImages {
    checkNotNull(data, "data");
    classNames = List.copyOf(checkNotNull(classNames, "classNames"));
    checkArgument(classNames.size() == data.numClasses(),
        "expected %s class names, one per class, found %s", data.numClasses(), classNames.size());
  }
}
