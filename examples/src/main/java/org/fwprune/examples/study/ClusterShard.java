package org.fwprune.examples.study;

import java.util.Map;
import java.util.Optional;

/**
 * The {@link Shard} a cluster scheduler assigns to this process, read from its environment when
 * {@code --shard} is not given: a SLURM job array's {@value #SLURM_TASK_ID} (0-based, the array
 * submitted as {@code --array=0-(N-1)}) with {@value #SLURM_TASK_COUNT}, or a Kubernetes Indexed
 * Job's {@value #K8S_INDEX} (0-based) with the count from {@code --shard-count} or
 * {@value #COUNT_VARIABLE}. Task or index {@code i} runs shard {@code i+1} of {@code N}.
 * Inconsistent values (both schedulers' variables, an index outside the count, an array not
 * numbered from 0, a count without an index) are refused with a message naming them, so that no
 * cell runs twice or never. docs/cluster.md shows both set-ups.
 */
public final class ClusterShard {

  /** SLURM's 0-based index of this task in the job array (with {@code --array=0-(N-1)}). */
  public static final String SLURM_TASK_ID = "SLURM_ARRAY_TASK_ID";
  /** SLURM's number of tasks in the job array. */
  public static final String SLURM_TASK_COUNT = "SLURM_ARRAY_TASK_COUNT";
  /** SLURM's smallest task id of the job array. */
  public static final String SLURM_TASK_MIN = "SLURM_ARRAY_TASK_MIN";
  /** SLURM's largest task id of the job array. */
  public static final String SLURM_TASK_MAX = "SLURM_ARRAY_TASK_MAX";
  /** The 0-based index Kubernetes gives each pod of an Indexed Job. */
  public static final String K8S_INDEX = "JOB_COMPLETION_INDEX";
  /** The shard count when {@code --shard-count} is not given (set it to the Job's completions). */
  public static final String COUNT_VARIABLE = "FWPRUNE_SHARD_COUNT";

  /**
   * A shard and where it came from.
   *
   * @param shard the part of the cells to run
   * @param source the variables it was read from, for the log (e.g. {@code
   *     SLURM_ARRAY_TASK_ID=1, SLURM_ARRAY_TASK_COUNT=4})
   */
  public record Assignment(Shard shard, String source) {}

  private ClusterShard() {}

  /**
   * The shard {@code environment} assigns, or empty when it names no scheduler's index and no
   * count is given (the whole grid runs).
   *
   * @param shardCount {@code --shard-count}, or null when not given
   * @param environment the process's environment ({@code System.getenv()})
   * @throws IllegalArgumentException if the values are malformed or inconsistent; the message
   *     names each variable and value
   */
  public static Optional<Assignment> fromEnvironment(Integer shardCount,
      Map<String, String> environment) {
    String slurm = value(environment, SLURM_TASK_ID);
    String k8s = value(environment, K8S_INDEX);
    Integer countVariable = number(environment, COUNT_VARIABLE, 1);
    if (shardCount != null && countVariable != null && !shardCount.equals(countVariable)) {
      throw new IllegalArgumentException("--shard-count " + shardCount + " and "
          + COUNT_VARIABLE + "=" + countVariable + " disagree; give one");
    }
    Integer explicit = shardCount != null ? shardCount : countVariable;
    String explicitSource = shardCount != null ? "--shard-count " + shardCount
        : COUNT_VARIABLE + "=" + countVariable;
    if (slurm != null && k8s != null) {
      throw new IllegalArgumentException("both " + SLURM_TASK_ID + "=" + slurm + " and "
          + K8S_INDEX + "=" + k8s + " are set: give --shard K/N");
    }
    if (slurm == null && k8s == null) {
      if (explicit != null) {
        throw new IllegalArgumentException(explicitSource + " needs a shard index from "
            + SLURM_TASK_ID + " (SLURM job array) or " + K8S_INDEX + " (Kubernetes Indexed"
            + " Job), and neither is set; on one machine give --shard K/N");
      }
      return Optional.empty();
    }
    return Optional.of(slurm != null ? slurm(environment, explicit, explicitSource)
        : kubernetes(environment, explicit, explicitSource));
  }

  private static Assignment slurm(Map<String, String> env, Integer explicit,
      String explicitSource) {
    int id = number(env, SLURM_TASK_ID, 0);
    Integer tasks = number(env, SLURM_TASK_COUNT, 1);
    Integer min = number(env, SLURM_TASK_MIN, 0);
    Integer max = number(env, SLURM_TASK_MAX, 0);
    int count;
    String source;
    if (explicit != null) {
      count = explicit;
      source = explicitSource;
      if (max != null && max >= count) {
        throw new IllegalArgumentException("the job array reaches " + SLURM_TASK_MAX + "="
            + max + " but " + explicitSource + " makes task ids 0.." + (count - 1)
            + "; submit --array=0-" + (count - 1) + " or a part of it");
      }
    } else {
      if (tasks == null) {
        throw new IllegalArgumentException(SLURM_TASK_ID + "=" + id + " is set but "
            + SLURM_TASK_COUNT + " is not: give --shard-count N");
      }
      count = tasks;
      source = SLURM_TASK_COUNT + "=" + tasks;
      if ((min != null && min != 0) || (max != null && max != tasks - 1)) {
        throw new IllegalArgumentException("shards numbered by the job array need --array=0-"
            + (tasks - 1) + " for its " + tasks + " tasks, but it runs from " + SLURM_TASK_MIN
            + "=" + min + " to " + SLURM_TASK_MAX + "=" + max + "; resubmit it from 0, or give"
            + " --shard-count N (e.g. when re-running some tasks of an N-task array)");
      }
    }
    return assignment(SLURM_TASK_ID, id, count, source);
  }

  private static Assignment kubernetes(Map<String, String> env, Integer explicit,
      String explicitSource) {
    int index = number(env, K8S_INDEX, 0);
    if (explicit == null) {
      throw new IllegalArgumentException(K8S_INDEX + "=" + index + " is set but the shard count"
          + " is not: give --shard-count N or set " + COUNT_VARIABLE + " to the Job's"
          + " completions");
    }
    return assignment(K8S_INDEX, index, explicit, explicitSource);
  }

  private static Assignment assignment(String indexVariable, int index, int count,
      String countSource) {
    if (count > Shard.MAX_COUNT) {
      throw new IllegalArgumentException("shard count must be in [1, " + Shard.MAX_COUNT
          + "], got " + count + " (" + countSource + ")");
    }
    if (index >= count) {
      throw new IllegalArgumentException(indexVariable + "=" + index + " is outside the "
          + count + " shards (" + countSource + "): indices run from 0 to " + (count - 1));
    }
    return new Assignment(new Shard(index + 1, count),
        indexVariable + "=" + index + ", " + countSource);
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** The variable as a whole number of at least {@code least}, null when unset. */
  private static Integer number(Map<String, String> env, String name, int least) {
    String v = value(env, name);
    if (v == null) {
      return null;
    }
    if (!v.matches("\\d{1,9}") || Integer.parseInt(v) < least) {
      throw new IllegalArgumentException(name + " must be a whole number >= " + least
          + ", got '" + v + "'");
    }
    return Integer.parseInt(v);
  }
}
