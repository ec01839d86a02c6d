package dev.llmserve.engine.model;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module compiled by libtorch from source text, without Python: the builder writes
 * the archive {@code torch.jit.save} would (a zip of {@code data.pkl}, {@code code/__torch__.py},
 * {@code constants.pkl} and {@code version}) in memory and loads it through DJL.
 *
 * <p>The source is the module's serialized code: one {@code class Name(Module):} that declares
 * {@code __parameters__ = []}, {@code __buffers__ = []}, {@code training : bool} and one typed
 * line per attribute, then its methods. The module holds no tensors; weights travel as method
 * arguments. Attribute values (bool, int, float, str) are pickled into {@code data.pkl} and must
 * cover every attribute the class declares.
 */
public final class TorchScriptModule implements AutoCloseable {

    /** Highest archive format PyTorch 2.x reads; newer than any upgrader, so operators keep today's semantics. */
    private static final String FORMAT_VERSION = "10";

    private final PtSymbolBlock block;

    private TorchScriptModule(PtSymbolBlock block) {
        this.block = block;
    }

    public static Builder builder(String className) {
        return new Builder(className);
    }

    /** Calls a method; the caller closes the result (and the arguments it created). */
    public IValue run(String method, IValue... args) {
        return IValueUtils.runMethod(block, method, args);
    }

    @Override
    public void close() {
        block.close();
    }

    /** Collects the source and attribute values of one module class. */
    public static final class Builder {
        private final String className;
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private String source;

        private Builder(String className) {
            if (!className.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not a class name: " + className);
            }
            this.className = className;
            attributes.put("training", Boolean.FALSE);
        }

        /** The text of {@code code/__torch__.py}; it must define {@code class <className>(Module)}. */
        public Builder source(String code) {
            this.source = code;
            return this;
        }

        /** An attribute's value: Boolean, Integer, Long, Double, Float or String. */
        public Builder attribute(String name, Object value) {
            if (!(value instanceof Boolean || value instanceof Integer || value instanceof Long
                    || value instanceof Double || value instanceof Float || value instanceof String)) {
                throw new IllegalArgumentException("attribute " + name + ": unsupported type " + value);
            }
            attributes.put(name, value);
            return this;
        }

        /** The archive bytes, as {@code torch.jit.load} reads them. */
        public byte[] archive() {
            if (source == null) {
                throw new IllegalStateException("no source");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                String root = "archive/";
                stored(zip, root + "data.pkl", modulePickle());
                stored(zip, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
                stored(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
                stored(zip, root + "version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /** Compiles and loads the module; it belongs to {@code manager} and closes with it. */
        public TorchScriptModule load(NDManager manager) {
            try {
                PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager,
                        new ByteArrayInputStream(archive()), false, false);
                return new TorchScriptModule(block);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Pickle protocol 2 of the module object: __torch__.Name() whose state is the attribute dict. */
        private byte[] modulePickle() {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.write(0x80); // PROTO 2
            p.write(2);
            ascii(p, "c__torch__\n" + className + "\n"); // GLOBAL
            p.write(')'); // EMPTY_TUPLE
            p.write(0x81); // NEWOBJ
            p.write('}'); // EMPTY_DICT
            p.write('('); // MARK
            for (Map.Entry<String, Object> a : attributes.entrySet()) {
                string(p, a.getKey());
                value(p, a.getValue());
            }
            p.write('u'); // SETITEMS
            p.write('b'); // BUILD
            p.write('.'); // STOP
            return p.toByteArray();
        }

        private static void value(ByteArrayOutputStream p, Object v) {
            if (v instanceof Boolean b) {
                p.write(b ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
            } else if (v instanceof Integer || v instanceof Long) {
                long n = ((Number) v).longValue();
                if (n == (int) n) {
                    p.write('J'); // BININT, 4 bytes little-endian
                    le(p, n, 4);
                } else {
                    p.write(0x8a); // LONG1
                    p.write(8);
                    le(p, n, 8);
                }
            } else if (v instanceof Float || v instanceof Double) {
                p.write('G'); // BINFLOAT, 8 bytes big-endian
                long bits = Double.doubleToLongBits(((Number) v).doubleValue());
                for (int i = 7; i >= 0; i--) {
                    p.write((int) (bits >>> (8 * i)) & 0xff);
                }
            } else {
                string(p, (String) v);
            }
        }

        private static void string(ByteArrayOutputStream p, String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            p.write('X'); // BINUNICODE
            le(p, utf8.length, 4);
            p.writeBytes(utf8);
        }

        private static void le(ByteArrayOutputStream p, long n, int bytes) {
            for (int i = 0; i < bytes; i++) {
                p.write((int) (n >>> (8 * i)) & 0xff);
            }
        }

        private static void ascii(ByteArrayOutputStream p, String s) {
            p.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        }

        private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
            ZipEntry e = new ZipEntry(name);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(data);
            zip.closeEntry();
        }
    }
}
