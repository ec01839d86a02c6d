package dev.llmserve.engine.step;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/** Resolves --device and tells how much memory that device has free. */
public final class DeviceSelector {

    private DeviceSelector() {}

    public static Device select(String name) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        switch (name == null ? "auto" : name) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new IllegalArgumentException("--device gpu was asked for, but PyTorch sees no GPU"
                            + " (use a CUDA build of the PyTorch native library; see README)");
                }
                return Device.gpu();
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new IllegalArgumentException("--device must be cpu, gpu or auto, got " + name);
        }
    }

    public static long freeBytes(Device device) {
        if (device.isGpu()) {
            MemoryUsage usage = CudaUtils.getGpuMemory(device);
            return usage.getMax() - usage.getCommitted();
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getFreeMemorySize();
    }
}
