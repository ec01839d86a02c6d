package dev.llmserve.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import org.junit.jupiter.api.Test;

/** A module compiled from source text in Java: attributes, list arguments and in-place writes reach libtorch. */
class TorchScriptModuleTest {

    private static final String SOURCE = """
            class Toy(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              scale : float
              offset : int
              enabled : bool
              name : str
              def forward(self, xs: List[Tensor], cache: Tensor, rows: Tensor) -> Tensor:
                y = torch.silu(xs[0]) * self.scale + self.offset
                if self.enabled and self.name == "toy":
                  cache.index_copy_(0, rows, xs[1])
                return y
            """;

    @Test
    void attributesArgumentsAndInPlaceWrites() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                TorchScriptModule module = TorchScriptModule.builder("Toy").source(SOURCE)
                        .attribute("scale", 2.0).attribute("offset", 3).attribute("enabled", true)
                        .attribute("name", "toy").load(manager)) {
            NDArray x = manager.create(new float[] {-1f, 0f, 1f});
            NDArray src = manager.create(new float[] {7f, 8f}, new Shape(2, 1));
            NDArray cache = manager.zeros(new Shape(4, 1));
            NDArray rows = manager.create(new long[] {3, 1});
            NDArray y;
            try (NDManager step = manager.newSubManager();
                    IValue xs = IValue.listFrom((PtNDArray) x, (PtNDArray) src);
                    IValue c = IValue.from((PtNDArray) cache);
                    IValue r = IValue.from((PtNDArray) rows);
                    IValue out = module.run("forward", xs, c, r)) {
                y = out.toTensor((PtNDManager) step);
                assertEquals(step, y.getManager());
                float[] in = {-1f, 0f, 1f};
                float[] actual = y.toFloatArray();
                // against the double value: libtorch rounds silu's exp (one ulp, 2u), 1 + e, a reciprocal and a
                // product, then "+ offset" (× 2 is exact): 6 roundings, each of at most the formula's magnitude
                BoundCheck check = BoundCheck.named("toy module silu(x)·2 + 3");
                for (int i = 0; i < 3; i++) {
                    double silu = in[i] / (1 + Math.exp(-in[i]));
                    double expected = silu * 2 + 3;
                    int entry = i;
                    check.add(Math.abs(actual[i] - expected), FloatErrorModel.worstCase(6) * (Math.abs(2 * silu) + 3),
                            () -> "x = " + in[entry]);
                }
                check.report();
            }
            assertArrayEquals(new float[] {0f, 8f, 0f, 7f}, cache.toFloatArray());
        }
    }

    @Test
    void anAttributeTheClassDeclaresMustBeGiven() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TorchScriptModule.Builder builder = TorchScriptModule.builder("Toy").source(SOURCE)
                    .attribute("scale", 2.0).attribute("offset", 3).attribute("enabled", true);
            assertThrows(EngineException.class, () -> builder.load(manager));
        }
    }
}
