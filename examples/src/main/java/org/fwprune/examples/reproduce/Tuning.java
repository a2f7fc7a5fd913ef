package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of the tuning phase: for each method with a learning rate, the validation accuracy
 * of every candidate and the chosen one. Every method is tuned alike: same checkpoint (seed 0 at
 * the tune budget), same grid, same budget, same minibatch order.
 *
 * @param budget pre-training epochs of the checkpoint tuned on
 * @param seed seed of that checkpoint
 * @param methods one entry per tuned method, in method order
 */
public record Tuning(int budget, int seed, List<MethodTuning> methods) {

  /** Copies the list and checks that no method appears twice. */
  public Tuning {
    methods = ImmutableList.copyOf(methods);
    checkArgument(methods.stream().map(MethodTuning::method).distinct().count() == methods.size(),
        "each method may be tuned once, got %s", methods);
  }

  /**
   * One learning rate tried for one method.
   *
   * @param learningRate the fine-tune learning rate
   * @param validationAccuracy validation accuracy after the method ran with it; NaN if it diverged
   * @param validationLoss mean validation cross-entropy; NaN if it diverged
   */
  public record Candidate(double learningRate, double validationAccuracy, double validationLoss) {

    /** Whether training with this learning rate diverged. */
    boolean diverged() {
      return Double.isNaN(validationAccuracy);
    }
  }

  /**
   * The tuning of one method.
   *
   * @param method the method
   * @param chosenLearningRate the candidate with the best validation accuracy (ties: lower
   *     validation loss, then smaller learning rate; if every candidate diverged, the smallest)
   * @param candidates every candidate, by ascending learning rate
   */
  public record MethodTuning(Method method, double chosenLearningRate, List<Candidate> candidates) {

    /** Copies the list and checks it is not empty. */
    public MethodTuning {
      candidates = ImmutableList.copyOf(candidates);
      checkArgument(!candidates.isEmpty(), "a tuning needs at least one candidate");
    }

    /** Chooses among {@code candidates} as {@link #chosenLearningRate} says. */
    public static MethodTuning choose(Method method, List<Candidate> candidates) {
      checkArgument(!candidates.isEmpty(), "a tuning needs at least one candidate");
      List<Candidate> sorted = new ArrayList<>(candidates);
      sorted.sort(Comparator.comparingDouble(Candidate::learningRate));
      Candidate best = sorted.stream().filter(c -> !c.diverged())
          .min(Comparator.comparingDouble((Candidate c) -> -c.validationAccuracy())
              .thenComparingDouble(Candidate::validationLoss)
              .thenComparingDouble(Candidate::learningRate))
          .orElse(sorted.get(0));
      return new MethodTuning(method, best.learningRate(), sorted);
    }
  }

  /** The chosen learning rate of {@code method}, if it was tuned. */
  public Optional<Double> learningRate(Method method) {
    return methods.stream().filter(m -> m.method() == method)
        .map(MethodTuning::chosenLearningRate).findFirst();
  }

  /** The chosen learning rates keyed by method name, in method order. */
  public Map<String, Double> chosen() {
    Map<String, Double> out = new LinkedHashMap<>();
    methods.forEach(m -> out.put(m.method().id(), m.chosenLearningRate()));
    return out;
  }

  /**
   * The methods of every tuning in {@code tunings} in one, each method from the first tuning that
   * has it, or null if there is none. Shards of one grid tune only the methods of their own cells,
   * so their merge needs every shard's methods.
   */
  public static Tuning union(List<Tuning> tunings) {
    Tuning first = null;
    Map<Method, MethodTuning> methods = new LinkedHashMap<>();
    for (Tuning t : tunings) {
      if (t != null) {
        first = first == null ? t : first;
        t.methods().forEach(m -> methods.putIfAbsent(m.method(), m));
      }
    }
    return first == null ? null
        : new Tuning(first.budget(), first.seed(), List.of()).plus(List.copyOf(methods.values()));
  }

  /** Whether every method tuned both here and in {@code other} chose the same learning rate. */
  public boolean agreesWith(Tuning other) {
    return methods.stream().allMatch(m -> other.learningRate(m.method())
        .map(lr -> lr == m.chosenLearningRate()).orElse(true));
  }

  /** This tuning with {@code more} added, kept in method order. */
  public Tuning plus(List<MethodTuning> more) {
    List<MethodTuning> all = new ArrayList<>(methods);
    all.addAll(more);
    all.sort(Comparator.comparing(MethodTuning::method));
    return new Tuning(budget, seed, all);
  }
}
