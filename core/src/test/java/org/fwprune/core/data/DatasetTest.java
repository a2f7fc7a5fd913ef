package org.fwprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DatasetTest {

  /**
   * Five 2x1x2 images; pixel j of image i is i + j/10 so every value names its image and slot.
   * Labels are 0, 1, 2, 0, 1.
   */
  private static Dataset five() {
    float[] images = new float[5 * 4];
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 4; j++) {
        images[i * 4 + j] = i + j / 10f;
      }
    }
    return Dataset.of(images, new int[] {0, 1, 2, 0, 1}, 2, 1, 2, 3);
  }

  private static float[] imageOf(int i) {
    return new float[] {i, i + 0.1f, i + 0.2f, i + 0.3f};
  }

  @Test
  void of_validInput_exposesShapeLabelsAndImages() {
    Dataset d = five();
    assertEquals(5, d.size());
    assertEquals(2, d.height());
    assertEquals(1, d.width());
    assertEquals(2, d.channels());
    assertEquals(3, d.numClasses());
    assertEquals(4, d.imageSize());
    assertEquals(2, d.label(2));
    assertArrayEquals(new int[] {0, 1, 2, 0, 1}, d.labels());
    assertArrayEquals(imageOf(3), d.image(3));
  }

  @Test
  void of_copiesInput_laterMutationDoesNotLeakIn() {
    float[] images = {0.5f, 0.25f};
    int[] labels = {1, 0};
    Dataset d = Dataset.of(images, labels, 1, 1, 1, 2);
    images[0] = 9f;
    labels[0] = 0;
    assertArrayEquals(new float[] {0.5f}, d.image(0));
    assertEquals(1, d.label(0));
  }

  @Test
  void accessors_returnCopies_mutationDoesNotLeakIn() {
    Dataset d = five();
    d.image(1)[0] = 42f;
    d.labels()[1] = 2;
    assertArrayEquals(imageOf(1), d.image(1));
    assertEquals(1, d.label(1));
  }

  @Test
  void of_noImages_givesEmptyDataset() {
    Dataset d = Dataset.of(new float[0], new int[0], 28, 28, 1, 10);
    assertEquals(0, d.size());
    assertArrayEquals(new int[10], d.classCounts());
  }

  static Stream<Arguments> invalidOfArguments() {
    return Stream.of(
        Arguments.of(
            new float[3],
            new int[] {0, 0},
            1,
            1,
            1,
            2,
            "expected 2 floats for 2 images of 1x1x1, found 3"),
        Arguments.of(
            new float[6],
            new int[] {0, 0},
            2,
            2,
            1,
            2,
            "expected 8 floats for 2 images of 2x2x1, found 6"),
        Arguments.of(
            new float[2],
            new int[] {0, 2},
            1,
            1,
            1,
            2,
            "expected labels in [0, 2), found 2 at index 1"),
        Arguments.of(new float[2], new int[] {-1, 0}, 1, 1, 1, 2, "found -1 at index 0"),
        Arguments.of(new float[0], new int[0], 0, 1, 1, 2, "height must be at least 1, got 0"),
        Arguments.of(new float[0], new int[0], 1, 0, 1, 2, "width must be at least 1, got 0"),
        Arguments.of(new float[0], new int[0], 1, 1, -3, 2, "channels must be at least 1, got -3"),
        Arguments.of(new float[0], new int[0], 1, 1, 1, 0, "numClasses must be at least 1, got 0"),
        Arguments.of(new float[0], new int[0], 65536, 65536, 1, 2, "exceeds the int range"),
        Arguments.of(
            new float[] {0f, Float.NaN},
            new int[] {0, 0},
            1,
            1,
            1,
            2,
            "found NaN at index 1 (image 1)"),
        Arguments.of(
            new float[] {Float.POSITIVE_INFINITY, 0},
            new int[] {0},
            1,
            2,
            1,
            2,
            "found Infinity at index 0"));
  }

  @ParameterizedTest
  @MethodSource("invalidOfArguments")
  void of_invalidInput_throwsWithExpectedAndFound(
      float[] images, int[] labels, int h, int w, int c, int classes, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Dataset.of(images, labels, h, w, c, classes));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void classCounts_countsEachLabel() {
    assertArrayEquals(new int[] {2, 2, 1}, five().classCounts());
    assertArrayEquals(new int[] {1, 1, 0}, five().subset(3, 5).classCounts());
  }

  @Test
  void subset_isViewWithShiftedIndices() {
    Dataset sub = five().subset(1, 4);
    assertEquals(3, sub.size());
    assertArrayEquals(imageOf(1), sub.image(0));
    assertArrayEquals(imageOf(3), sub.image(2));
    assertArrayEquals(new int[] {1, 2, 0}, sub.labels());
    Dataset subSub = sub.subset(1, 3);
    assertArrayEquals(imageOf(2), subSub.image(0));
    assertArrayEquals(new int[] {2, 0}, subSub.labels());
    assertEquals("Dataset[size=2, shape=2x1x2, classes=3]", subSub.toString());
  }

  @Test
  void subset_emptyRangeAndFullRange_areAllowed() {
    assertEquals(0, five().subset(5, 5).size());
    assertEquals(5, five().subset(0, 5).size());
  }

  @ParameterizedTest
  @CsvSource({"-1, 2", "3, 2", "0, 6", "6, 6"})
  void subset_outsideRange_throwsWithAllowedRangeAndSize(int from, int to) {
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> five().subset(from, to));
    assertTrue(e.getMessage().contains("[" + from + ", " + to + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 5]"), e.getMessage());
    assertTrue(e.getMessage().contains("size 5"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"-1", "3"})
  void label_image_indexOutsideSubset_throw(int index) {
    Dataset sub = five().subset(1, 4);
    assertThrows(IndexOutOfBoundsException.class, () -> sub.label(index));
    assertThrows(IndexOutOfBoundsException.class, () -> sub.image(index));
  }

  @Test
  void select_copiesRowsInGivenOrderWithRepeats() {
    Dataset picked = five().subset(1, 5).select(new int[] {3, 0, 3});
    assertEquals(3, picked.size());
    assertArrayEquals(imageOf(4), picked.image(0));
    assertArrayEquals(imageOf(1), picked.image(1));
    assertArrayEquals(new int[] {1, 1, 1}, picked.labels());
    assertEquals(3, picked.numClasses());
  }

  @ParameterizedTest
  @CsvSource({"-1", "4"})
  void select_indexOutsideDataset_throwsNamingIndexAndSize(int bad) {
    Dataset sub = five().subset(1, 5);
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> sub.select(new int[] {0, bad}));
    assertTrue(e.getMessage().contains("index " + bad + " at position 1"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 4)"), e.getMessage());
  }

  @Test
  void copyBatch_copiesSelectedRowsToBufferStart() {
    Dataset d = five();
    float[] images = new float[3 * 4 + 1];
    images[12] = -7f;
    int[] labels = new int[4];
    labels[3] = -7;
    d.copyBatch(new int[] {9, 4, 2, 0, 9}, 1, 3, images, labels);
    float[] expected = new float[13];
    System.arraycopy(imageOf(4), 0, expected, 0, 4);
    System.arraycopy(imageOf(2), 0, expected, 4, 4);
    System.arraycopy(imageOf(0), 0, expected, 8, 4);
    expected[12] = -7f;
    assertArrayEquals(expected, images);
    assertArrayEquals(new int[] {1, 2, 0, -7}, labels);
  }

  @Test
  void copyBatch_onSubset_readsRowsRelativeToSubset() {
    float[] images = new float[4];
    int[] labels = new int[1];
    five().subset(2, 5).copyBatch(new int[] {1}, 0, 1, images, labels);
    assertArrayEquals(imageOf(3), images);
    assertArrayEquals(new int[] {0}, labels);
  }

  @Test
  void copyBatch_zeroCount_leavesBuffersUntouched() {
    // Indices and buffers large enough for a batch: a zero count must still write nothing.
    float[] images = {-7f, -7f, -7f, -7f};
    int[] labels = {-7};
    five().copyBatch(new int[] {3}, 0, 0, images, labels);
    assertArrayEquals(new float[] {-7f, -7f, -7f, -7f}, images);
    assertArrayEquals(new int[] {-7}, labels);
  }

  @Test
  void copyBatch_indexBeyondSubsetButInsideBacking_throws() {
    Dataset sub = five().subset(0, 2);
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> sub.copyBatch(new int[] {2}, 0, 1, new float[4], new int[1]));
  }

  @ParameterizedTest
  @CsvSource({"-1, 1", "0, -1", "2, 2", "0, 4"})
  void copyBatch_rangeOutsideIndices_throws(int start, int count) {
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> five().copyBatch(new int[] {0, 1, 2}, start, count, new float[20], new int[5]));
  }

  @ParameterizedTest(name = "{0} floats, {1} ints")
  @CsvSource(delimiter = ';', value = {
      "7; 2; images buffer must hold at least 8 floats for 2 images of size 4, found 7",
      "8; 1; labels buffer must hold at least 2 ints, found 1"})
  void copyBatch_bufferTooSmall_throwsWithNeededSize(int floats, int ints, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> five().copyBatch(new int[] {0, 1}, 0, 2, new float[floats], new int[ints]));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void toString_showsSizeShapeAndClasses() {
    assertEquals("Dataset[size=5, shape=2x1x2, classes=3]", five().toString());
  }
}
