package org.fwprune.core.train.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fwprune.core.runtime.internal.InputBatch;

/**
 * Fills the next minibatch on a background thread while the caller trains on the current one, so
 * that gathering and copying a batch is hidden behind the session run instead of added to every
 * step. Two input batches take turns; a batch returned by {@link #next} stays valid until the
 * following call. The batches come in the sampler's order, so training stays deterministic. Not
 * thread-safe: one training loop owns it.
 */
final class BatchPrefetcher implements AutoCloseable {

  private final BatchSampler sampler;
  private final long total;
  private final InputBatch[] batches;
  private final ExecutorService worker;
  private Future<?> pending;
  private int filling;
  private long delivered;

  /**
   * Starts filling the first of {@code total} batches drawn from {@code sampler}.
   *
   * @param total batches {@link #next} will hand out; no batch beyond them is drawn
   */
  BatchPrefetcher(BatchSampler sampler, long total) {
    checkArgument(total >= 0, "total batches must be at least 0, got %s", total);
    this.sampler = sampler;
    this.total = total;
    this.batches = new InputBatch[] {sampler.newBatch(), sampler.newBatch()};
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fwprune-batch-prefetch");
      t.setDaemon(true);
      return t;
    });
    if (total > 0) {
      startFill();
    }
  }

  /** The next batch, filled; the batch returned before it may be refilled from now on. */
  InputBatch next() {
    checkState(delivered < total, "all %s batches have been handed out", total);
    await();
    InputBatch ready = batches[filling];
    delivered++;
    filling = 1 - filling;
    if (delivered < total) {
      startFill();
    }
    return ready;
  }

  private void startFill() {
    InputBatch target = batches[filling];
    pending = worker.submit(() -> sampler.next(target));
  }

  private void await() {
    Future<?> f = pending;
    pending = null;
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("filling a batch failed", e.getCause());
    }
  }

  /** Waits for a fill in progress (its tensors must not be freed under it), then frees both. */
  @Override
  public void close() {
    try {
      if (pending != null) {
        boolean interrupted = false;
        while (true) {
          try {
            pending.get();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            break;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      worker.shutdown();
      batches[0].close();
      batches[1].close();
    }
  }
}
