package org.fwprune.core.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fwprune.core.runtime.ExecutionOptions;
import org.fwprune.core.runtime.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;

class ExecutionOptionsTest {

  @Test
  void xla_setsGlobalJitLevelOn1InTheSessionConfig() {
    ConfigProto config = ModelSession.config(ExecutionOptions.builder().xla(true).threads(2, 1)
        .build());
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
  void toBuilder_changesOneSettingOnly() {
    ExecutionOptions o = ExecutionOptions.DEFAULT.toBuilder()
        .precision(Precision.BFLOAT16_MIXED).xla(true).build();
    assertEquals(Precision.BFLOAT16_MIXED, o.precision());
    assertTrue(o.xla());
    assertEquals(ExecutionOptions.DEFAULT.threads(), o.threads());
    assertEquals(o, o.toBuilder().build());
    assertTrue(o.toString().contains("precision=BFLOAT16_MIXED"), o.toString());
  }

  @Test
  void nullPrecision_isRefusedWithTheChoicesNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExecutionOptions.builder().precision(null));
    assertTrue(e.getMessage().contains("FLOAT32"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"-1, 0, intra-op", "1025, 0, intra-op", "0, -1, inter-op", "0, 1025, inter-op"})
  void threads_outsideTheRange_areRefusedWithTheRangeNamed(int intraOp, int interOp,
      String kind) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExecutionOptions.builder().threads(intraOp, interOp));
    assertTrue(e.getMessage().startsWith(kind + " threads must be in [0, 1024]"), e.getMessage());
  }
}
