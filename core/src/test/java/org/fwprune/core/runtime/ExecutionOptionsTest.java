package org.fwprune.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;

class ExecutionOptionsTest {

  @Test
  void xla_setsGlobalJitLevelOn1InTheSessionConfig() {
    ConfigProto config = ModelSession.config(ExecutionOptions.DEFAULT.withXla(true)
        .withThreads(new ModelGraph.Threads(2, 1)));
    assertEquals(OptimizerOptions.GlobalJitLevel.ON_1,
        config.getGraphOptions().getOptimizerOptions().getGlobalJitLevel());
    assertEquals(2, config.getIntraOpParallelismThreads());
    assertEquals(1, config.getInterOpParallelismThreads());
  }

  @Test
  void default_leavesTheJitLevelUnset() {
    assertFalse(ModelSession.config(ExecutionOptions.DEFAULT).hasGraphOptions());
  }

  @Test
  void withers_changeOneSettingOnly() {
    ExecutionOptions o = ExecutionOptions.DEFAULT.withPrecision(Precision.BFLOAT16_MIXED)
        .withXla(true);
    assertEquals(Precision.BFLOAT16_MIXED, o.precision());
    assertTrue(o.xla());
    assertEquals(ExecutionOptions.DEFAULT.threads(), o.threads());
  }

  @Test
  void nullPrecision_isRefusedWithTheDefaultNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExecutionOptions.DEFAULT.withPrecision(null));
    assertTrue(e.getMessage().contains("Precision.FLOAT32"), e.getMessage());
  }
}
