package dev.llmserve.engine.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Writes tensors as a standard {@code .safetensors} file (what Hugging Face loaders read). */
public final class SafetensorsWriter {

    /** A tensor to write: its values (row-major) and the element type to store them as. */
    public record Tensor(String name, TensorDType dtype, long[] shape, float[] values) {
        public Tensor {
            long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            if (count != values.length) {
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape)
                        + " needs " + count + " values, got " + values.length);
            }
        }
    }

    private SafetensorsWriter() {}

    public static void write(Path file, List<Tensor> tensors) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Tensor t : tensors) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", t.dtype().name());
            JsonArray shape = new JsonArray();
            Arrays.stream(t.shape()).forEach(shape::add);
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += (long) t.values().length * t.dtype().bytes();
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(t.name(), entry);
        }
        byte[] headerBytes = padded(header.toString().getBytes(StandardCharsets.UTF_8));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            for (Tensor t : tensors) {
                out.write(encode(t));
            }
        }
    }

    /** The format asks for the data to start 8-byte aligned; pad the JSON with spaces. */
    private static byte[] padded(byte[] json) {
        int length = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, length);
        Arrays.fill(out, json.length, length, (byte) ' ');
        return out;
    }

    private static byte[] encode(Tensor t) {
        ByteBuffer buf = ByteBuffer.allocate(t.values().length * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.values()) {
            switch (t.dtype()) {
                case F32 -> buf.putFloat(v);
                case F16 -> buf.putShort(HalfFloats.floatToF16(v));
                case BF16 -> buf.putShort(HalfFloats.floatToBf16(v));
            }
        }
        return buf.array();
    }
}
