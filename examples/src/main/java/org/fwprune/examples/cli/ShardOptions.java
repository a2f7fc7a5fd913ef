package org.fwprune.examples.cli;

import java.util.Map;
import org.fwprune.examples.study.ClusterShard;
import org.fwprune.examples.study.Shard;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The part of a study's grid this process runs (a mixin of every study): {@code --shard K/N}, or,
 * without it, the index a SLURM job array or a Kubernetes Indexed Job sets ({@link ClusterShard},
 * docs/cluster.md), with {@code --shard-count} when the environment does not give the count.
 */
public final class ShardOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--shard", paramLabel = "K/N", converter = ShardConverter.class,
      descriptionKey = "ShardOptions.shard")
  Shard shard;

  @Option(names = "--shard-count", paramLabel = "N", descriptionKey = "ShardOptions.shard-count")
  Integer shardCount;

  /** Where the shard index and count are read from when --shard is not given. */
  Map<String, String> environment = System.getenv();

  /**
   * The shard to run: {@code --shard}, else the scheduler's, else the whole grid. A shard read
   * from the environment is printed with its source, so a job's log says which part it ran.
   *
   * @throws ParameterException for {@code --shard} with {@code --shard-count}, or an environment
   *     {@link ClusterShard} refuses
   */
  public Shard shard() {
    if (shard != null) {
      if (shardCount != null) {
        throw new ParameterException(command.commandLine(),
            "--shard " + shard + " already gives the count; drop --shard-count");
      }
      return shard;
    }
    return UsageErrors.check(command, () -> ClusterShard.fromEnvironment(shardCount, environment))
        .map(a -> {
          System.out.printf("shard %s (%s)%n", a.shard(), a.source());
          return a.shard();
        }).orElse(Shard.ALL);
  }
}
