package org.fwprune.core.serving;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.fwprune.core.check.Require;

/**
 * The lifecycle every {@link Predictor} engine shares, so that an engine writes only its own
 * request and release: the image's length is checked, requests run concurrently under a shared
 * read lock, and {@link #close} takes the write lock, so the engine is never released under a
 * running request and a request after it fails with {@link IllegalStateException}.
 */
public abstract class EnginePredictor implements Predictor {

  private final String engine;
  private final ImageShape shape;
  private final int outputSize;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /**
   * @param engine the name {@link #engine()} returns
   * @param shape the image shape requests must have
   * @param outputSize number of scores a request returns, at least 1
   */
  protected EnginePredictor(String engine, ImageShape shape, int outputSize) {
    Require.notNull("engine", engine);
    Require.notNull("shape", shape);
    Require.inClosed("output size", outputSize, 1, Integer.MAX_VALUE);
    this.engine = engine;
    this.shape = shape;
    this.outputSize = outputSize;
  }

  /**
   * Runs the engine on one image whose length has been checked, while the engine is open.
   *
   * @return {@link #outputSize()} scores
   */
  protected abstract float[] compute(float[] image);

  /** Releases the engine's native memory; called once, by the first {@link #close}. */
  protected abstract void release();

  @Override
  public final float[] predict(float[] image) {
    shape.check(image);
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the predictor has been closed");
      }
      return compute(image);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public final ImageShape input() {
    return shape;
  }

  @Override
  public final int outputSize() {
    return outputSize;
  }

  @Override
  public final String engine() {
    return engine;
  }

  @Override
  public final void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        release();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "Predictor[" + engine + ", " + shape + " -> " + outputSize + "]";
  }
}
