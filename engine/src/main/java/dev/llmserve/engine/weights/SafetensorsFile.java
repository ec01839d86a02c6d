package dev.llmserve.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.llmserve.engine.config.UnsupportedModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .safetensors} file, read by memory-mapping each tensor rather than copying the file:
 * F32 tensors become arrays over the mapping itself, F16 ones are widened by the tensor library and
 * BF16 ones are widened here in Java (DJL cannot hold BF16).
 */
public final class SafetensorsFile {

    /** Where one tensor lies in the file. */
    public record Entry(TensorDType dtype, long[] shape, long begin, long end) {}

    private final Path path;
    private final Map<String, Entry> entries;
    private final long dataStart;

    private SafetensorsFile(Path path, Map<String, Entry> entries, long dataStart) {
        this.path = path;
        this.entries = entries;
        this.dataStart = dataStart;
    }

    public static SafetensorsFile open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > 100_000_000 || headerLength + 8 > channel.size()) {
                throw new UnsupportedModelException(path + " is not a safetensors file (bad header length)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            channel.read(header, 8);
            JsonObject json = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                entries.put(e.getKey(), entry(path, e.getKey(), e.getValue().getAsJsonObject()));
            }
            return new SafetensorsFile(path, entries, 8 + headerLength);
        } catch (IOException | IllegalStateException e) {
            throw new UnsupportedModelException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Entry entry(Path path, String name, JsonObject o) {
        String dtype = o.get("dtype").getAsString();
        TensorDType type;
        try {
            type = TensorDType.valueOf(dtype);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(path.getFileName() + ": tensor " + name + " has dtype " + dtype
                    + ", supported are F32, F16 and BF16 (quantized checkpoints are not supported)");
        }
        long[] shape = o.getAsJsonArray("shape").asList().stream().mapToLong(JsonElement::getAsLong).toArray();
        long begin = o.getAsJsonArray("data_offsets").get(0).getAsLong();
        long end = o.getAsJsonArray("data_offsets").get(1).getAsLong();
        return new Entry(type, shape, begin, end);
    }

    public Set<String> names() {
        return entries.keySet();
    }

    /**
     * The tensor as F32 on the CPU. An F32 result is a view of the read-only mapping: never write
     * into it.
     */
    public NDArray loadFloat32(NDManager manager, String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new UnsupportedModelException(path.getFileName() + " has no tensor " + name);
        }
        Shape shape = new Shape(entry.shape());
        ByteBuffer bytes = map(entry).order(ByteOrder.LITTLE_ENDIAN);
        switch (entry.dtype()) {
            case F32:
                return manager.create(bytes, shape, DataType.FLOAT32);
            case F16:
                try (NDArray half = manager.create(bytes, shape, DataType.FLOAT16)) {
                    return half.toType(DataType.FLOAT32, true);
                }
            case BF16:
                return manager.create(widenBf16(bytes.asShortBuffer()), shape, DataType.FLOAT32);
            default:
                throw new IllegalStateException();
        }
    }

    private static ByteBuffer widenBf16(ShortBuffer in) {
        ByteBuffer out = ByteBuffer.allocateDirect(in.remaining() * 4).order(ByteOrder.nativeOrder());
        FloatBuffer floats = out.asFloatBuffer();
        while (in.hasRemaining()) {
            floats.put(HalfFloats.bf16ToFloat(in.get()));
        }
        return out;
    }

    private MappedByteBuffer map(Entry entry) {
        long size = entry.end() - entry.begin();
        if (size > Integer.MAX_VALUE) {
            throw new UnsupportedModelException("tensor larger than 2 GiB in " + path);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), size);
        } catch (IOException e) {
            throw new UnsupportedModelException("cannot map " + path + ": " + e.getMessage(), e);
        }
    }
}
