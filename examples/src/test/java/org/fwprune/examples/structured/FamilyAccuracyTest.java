package org.fwprune.examples.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fwprune.core.data.Dataset;
import org.junit.jupiter.api.Test;

class FamilyAccuracyTest {

  @Test
  void padToRgb_centresTheImageInAZeroBorderAndCopiesItToThreeChannels() {
    // One 28x28 image whose pixel (y, x) is y * 28 + x + 1: every value lands exactly.
    float[] pixels = new float[28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = i + 1;
    }
    Dataset padded = FamilyAccuracy.padToRgb(Dataset.of(pixels, new int[] {7}, 28, 28, 1, 10));

    assertEquals(32, padded.height());
    assertEquals(32, padded.width());
    assertEquals(3, padded.channels());
    assertArrayEquals(new int[] {7}, padded.labels());
    float[] image = padded.image(0);
    int corner = ((2 * 32) + 2) * 3; // (y, x) = (2, 2) holds the source's (0, 0)
    assertArrayEquals(new float[] {1, 1, 1}, new float[] {image[corner], image[corner + 1],
        image[corner + 2]}, 0f);
    int last = ((29 * 32) + 29) * 3; // (29, 29) holds the source's (27, 27)
    assertEquals(28 * 28, image[last + 2], 0f);
    assertEquals(0f, image[0], 0f);
    assertEquals(0f, image[image.length - 1], 0f);
  }

  @Test
  void padToRgb_refusesColourImagesNamingTheShape() {
    Dataset colour = Dataset.of(new float[4 * 4 * 3], new int[] {0}, 4, 4, 3, 10);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FamilyAccuracy.padToRgb(colour));
    assertTrue(e.getMessage().contains("4x4x3"), e.getMessage());
  }

  @Test
  void cutParse_readsRuleAndEpochs() {
    assertEquals(new FamilyAccuracy.Cut(FamilyAccuracy.Cut.Rule.UNIFORM, 3),
        FamilyAccuracy.Cut.parse("uniform:3"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"random:1", "flops:0", "flops:101"})
  void cutParse_outOfRange_isRefusedNamingTheForm(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FamilyAccuracy.Cut.parse(text));
    assertTrue(e.getMessage().contains(
        "flops:E, uniform:E or dense:E with E in [1, 100]"), e.getMessage());
  }
}
