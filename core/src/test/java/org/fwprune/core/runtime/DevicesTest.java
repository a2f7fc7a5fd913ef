package org.fwprune.core.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {

  @Test
  void list_includesTheCpu() {
    List<Devices.Device> devices = Devices.list();
    assertTrue(devices.stream().anyMatch(d -> d.type().equals("CPU")
        && d.name().endsWith("device:CPU:0")), devices.toString());
  }

  @Test
  void describe_namesTheGpusOrCpu() {
    String described = Devices.describe();
    boolean gpu = Devices.list().stream().anyMatch(d -> d.type().equals("GPU"));
    assertTrue(gpu ? described.startsWith("GPU:") : described.equals("CPU"), described);
  }
}
