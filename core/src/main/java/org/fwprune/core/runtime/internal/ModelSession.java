package org.fwprune.core.runtime.internal;

import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.fwprune.core.runtime.ExecutionOptions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;

/**
 * Owns one model's TensorFlow {@link Graph} and {@link Session}: runs them, adds ops to the graph
 * and closes both. Runs share a read lock and adding ops takes the write lock, so the graph never
 * changes under a running step, evaluation or read, whichever thread adds to it.
 */
final class ModelSession implements AutoCloseable {

  private final Graph graph;
  private final Ops tf;
  private final Session session;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /** A session together with what was built on its graph. */
  record Opened<T>(ModelSession session, T built) {}

  private ModelSession(Graph graph, Ops tf, Session session) {
    this.graph = graph;
    this.tf = tf;
    this.session = session;
  }

  /**
   * Builds a graph with {@code build}, opens a session on it and initialises its variables. If
   * any of that fails, whatever was opened is closed, the session before the graph: closing a
   * graph that a session still holds waits for the session forever.
   */
  static <T> Opened<T> open(ExecutionOptions options, Function<Ops, T> build) {
    Graph g = new Graph();
    Session s = null;
    try {
      Ops tf = Ops.create(g);
      T built = build.apply(tf);
      s = new Session(g, config(options));
      s.initialize();
      return new Opened<>(new ModelSession(g, tf, s), built);
    } catch (RuntimeException | Error e) {
      if (s != null) {
        s.close();
      }
      g.close();
      throw e;
    }
  }

  /**
   * The session configuration of {@code options}: thread counts, and with XLA the global JIT
   * level ON_1. On CPU TensorFlow ignores that level unless its process-wide flag
   * {@code tf_xla_cpu_global_jit} is on (the {@code TF_XLA_FLAGS} variable, or the C API's
   * {@code TF_SetTfXlaCpuGlobalJit}), so XLA sets it here; the flag only lets the sessions that
   * ask for a JIT level compile, so sessions without XLA are unaffected.
   */
  static ConfigProto config(ExecutionOptions options) {
    ConfigProto.Builder config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(options.threads().intraOp())
        .setInterOpParallelismThreads(options.threads().interOp());
    if (options.xla()) {
      org.tensorflow.internal.c_api.global.tensorflow.TF_SetTfXlaCpuGlobalJit((byte) 1);
      config.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(
          OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
    }
    return config.build();
  }

  /** The op builder; only for code that runs inside {@link #extend} or the constructor's build. */
  Ops tf() {
    ensureOpen();
    if (!lock.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException(
          "ops may only be added inside ModelGraph.extension(...): the graph must not change"
              + " while other threads run it");
    }
    return tf;
  }

  /** Gradients of {@code y} with respect to {@code xs}, added to the graph. */
  Output<?>[] gradients(Operand<?> y, List<? extends Operand<?>> xs) {
    tf();
    return graph.addGradients(y.asOutput(),
        xs.stream().map(Operand::asOutput).toArray(Output<?>[]::new));
  }

  /**
   * Adds ops to the graph under the write lock, then initialises the variables they created.
   */
  <T> T extend(Supplier<T> build) {
    lock.writeLock().lock();
    try {
      ensureOpen();
      T value = build.get();
      session.initialize();
      return value;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs the session under the read lock: {@code runner} configures feeds, fetches and targets. */
  <T> T run(Function<Session.Runner, Result> runner, Function<Result, T> read) {
    lock.readLock().lock();
    try {
      ensureOpen();
      try (Result result = runner.apply(session.runner())) {
        return read.apply(result);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the model has been closed");
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** Number of ops in the graph, to check that repeated runs do not grow it. */
  long opCount() {
    lock.readLock().lock();
    try {
      ensureOpen();
      long n = 0;
      var it = graph.operations();
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return n;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
        graph.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
