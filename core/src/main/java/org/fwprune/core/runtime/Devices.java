package org.fwprune.core.runtime;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * The devices TensorFlow can run on in this process (CPU, and GPUs when the GPU native library is
 * on the class path and a driver is present), so that a benchmark can say what it ran on. TF Java
 * has no public call for this; it asks the C API ({@code TF_SessionListDevices}) of an empty
 * session, which it closes at once. TensorFlow sizes its CPU thread pools from the first session
 * of a process, so call this after creating the models whose thread settings matter.
 */
public final class Devices {

  /**
   * One device.
   *
   * @param name e.g. {@code /job:localhost/replica:0/task:0/device:GPU:0}
   * @param type e.g. {@code CPU} or {@code GPU}
   * @param memoryBytes the device's memory as TensorFlow reports it
   */
  public record Device(String name, String type, long memoryBytes) {}

  private Devices() {}

  /**
   * Every device of this process.
   *
   * @throws IllegalStateException if TensorFlow cannot open a session
   */
  public static List<Device> list() {
    TensorFlow.version(); // loads the native library
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions options = TF_NewSessionOptions();
    TF_Session session = null;
    try {
      session = TF_NewSession(graph, options, status);
      check(status, "open a session");
      TF_DeviceList devices = TF_SessionListDevices(session, status);
      check(status, "list devices");
      try {
        ImmutableList.Builder<Device> out = ImmutableList.builder();
        for (int i = 0; i < TF_DeviceListCount(devices); i++) {
          String name = TF_DeviceListName(devices, i, status).getString();
          String type = TF_DeviceListType(devices, i, status).getString();
          long memory = TF_DeviceListMemoryBytes(devices, i, status);
          check(status, "read device " + i);
          out.add(new Device(name, type, memory));
        }
        return out.build();
      } finally {
        TF_DeleteDeviceList(devices);
      }
    } finally {
      if (session != null) {
        TF_CloseSession(session, status);
        TF_DeleteSession(session, status);
      }
      TF_DeleteSessionOptions(options);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
  }

  /** The GPUs among {@code devices}, or CPU when there is none: e.g. {@code GPU:0, GPU:1}. */
  public static String describe(List<Device> devices) {
    List<String> gpus = devices.stream().filter(d -> d.type().equals("GPU"))
        .map(d -> d.name().substring(d.name().lastIndexOf("device:") + "device:".length()))
        .toList();
    return gpus.isEmpty() ? "CPU" : String.join(", ", gpus);
  }

  private static void check(TF_Status status, String what) {
    if (TF_GetCode(status) != TF_OK) {
      throw new IllegalStateException("TensorFlow could not " + what + ": "
          + TF_Message(status).getString());
    }
  }
}
