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
    List<Devices.Device> devices = Devices.list();
    String described = Devices.describe(devices);
    boolean gpu = devices.stream().anyMatch(d -> d.type().equals("GPU"));
    assertTrue(gpu ? described.startsWith("GPU:") : described.equals("CPU"), described);
  }
}
