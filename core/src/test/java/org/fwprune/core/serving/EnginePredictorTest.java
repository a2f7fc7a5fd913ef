package org.fwprune.core.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EnginePredictorTest {

  /** Returns the image's sum as its one score and counts its calls. */
  private static final class Summing extends EnginePredictor {
    final AtomicInteger computed = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();

    Summing() {
      super("summing", new ImageShape(2, 2, 1), 1);
    }

    @Override
    protected float[] compute(float[] image) {
      computed.incrementAndGet();
      float sum = 0;
      for (float v : image) {
        sum += v;
      }
      return new float[] {sum};
    }

    @Override
    protected void release() {
      released.incrementAndGet();
    }
  }

  @Test
  void predict_runsTheEngineOnTheImage() {
    try (Summing p = new Summing()) {
      assertArrayEquals(new float[] {10f}, p.predict(new float[] {1, 2, 3, 4}), 0f);
    }
  }

  @Test
  void predict_wrongLength_refusedBeforeTheEngineRuns() {
    try (Summing p = new Summing()) {
      assertThrows(IllegalArgumentException.class, () -> p.predict(new float[3]));
      assertEquals(0, p.computed.get());
    }
  }

  @Test
  void predict_afterClose_throwsIllegalState() {
    Summing p = new Summing();
    p.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> p.predict(new float[4]));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void close_twice_releasesOnce() {
    Summing p = new Summing();
    p.close();
    p.close();
    assertEquals(1, p.released.get());
  }

  @Test
  void constructor_outputSizeBelowOne_refusedWithRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EnginePredictor("x", new ImageShape(1, 1, 1), 0) {
          @Override
          protected float[] compute(float[] image) {
            return image;
          }

          @Override
          protected void release() {}
        });
    assertTrue(e.getMessage().contains("output size"), e.getMessage());
  }
}
