package dev.llmserve.engine.testing;

import dev.llmserve.engine.testing.TinyModels.Llama3Rope;
import dev.llmserve.engine.testing.TinyModels.Spec;
import dev.llmserve.engine.testing.TinyModels.TinyModel;

/**
 * A plain Llama forward pass in double over contiguous arrays, one position at a time like
 * llama2.c's run.c, with Hugging Face semantics. Written from the Hugging Face modeling code, not
 * from the engine: no folded norms or scales, no fused projections, no paging.
 */
public final class ReferenceLlama {

    private final TinyModel model;
    private final Spec spec;
    private final double[] inverseFrequencies;

    public ReferenceLlama(TinyModel model) {
        this.model = model;
        this.spec = model.spec();
        this.inverseFrequencies = inverseFrequencies(spec);
    }

    /** Logits [position][vocab] at every position of {@code tokens}, which starts at position 0. */
    public float[][] logits(int[] tokens) {
        int n = tokens.length;
        double[][][] keys = new double[spec.layers][n][];
        double[][][] values = new double[spec.layers][n][];
        float[][] logits = new float[n][];
        for (int pos = 0; pos < n; pos++) {
            double[] x = row(model.values("model.embed_tokens.weight"), tokens[pos], spec.hidden);
            for (int l = 0; l < spec.layers; l++) {
                String p = "model.layers." + l + ".";
                double[] xb = rmsNorm(x, model.values(p + "input_layernorm.weight"));
                double[] q = linear(p + "self_attn.q_proj", xb);
                double[] k = linear(p + "self_attn.k_proj", xb);
                rope(q, pos);
                rope(k, pos);
                keys[l][pos] = k;
                values[l][pos] = linear(p + "self_attn.v_proj", xb);
                add(x, linear(p + "self_attn.o_proj", attention(q, keys[l], values[l], pos)));

                xb = rmsNorm(x, model.values(p + "post_attention_layernorm.weight"));
                double[] gate = linear(p + "mlp.gate_proj", xb);
                double[] up = linear(p + "mlp.up_proj", xb);
                for (int i = 0; i < gate.length; i++) {
                    gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i]; // SwiGLU: silu(gate) · up
                }
                add(x, linear(p + "mlp.down_proj", gate));
            }
            double[] out = rmsNorm(x, model.values("model.norm.weight"));
            // tie_word_embeddings makes Hugging Face use the embedding, whatever lm_head.weight holds
            String head = spec.tied() ? "model.embed_tokens.weight" : "lm_head.weight";
            logits[pos] = toFloat(matVec(model.values(head), out));
        }
        return logits;
    }

    /** Causal attention of the query at {@code pos} over keys 0..pos; each KV head serves a group of query heads. */
    private double[] attention(double[] q, double[][] keys, double[][] values, int pos) {
        int hd = spec.headDim;
        int group = spec.heads / spec.kvHeads;
        double[] out = new double[spec.heads * hd];
        for (int h = 0; h < spec.heads; h++) {
            int kvOffset = (h / group) * hd;
            double[] scores = new double[pos + 1];
            for (int t = 0; t <= pos; t++) {
                double dot = 0;
                for (int i = 0; i < hd; i++) {
                    dot += q[h * hd + i] * keys[t][kvOffset + i];
                }
                scores[t] = dot / Math.sqrt(hd);
            }
            softmax(scores);
            for (int t = 0; t <= pos; t++) {
                for (int i = 0; i < hd; i++) {
                    out[h * hd + i] += scores[t] * values[t][kvOffset + i];
                }
            }
        }
        return out;
    }

    /** Rotate-half RoPE on every head: pair (i, i + headDim/2) rotates by pos · invFreq[i]. */
    private void rope(double[] vec, int pos) {
        int hd = spec.headDim;
        int half = hd / 2;
        for (int h = 0; h < vec.length / hd; h++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * inverseFrequencies[i];
                double a = vec[h * hd + i];
                double b = vec[h * hd + i + half];
                vec[h * hd + i] = a * Math.cos(angle) - b * Math.sin(angle);
                vec[h * hd + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
    }

    /** Hugging Face's default and llama3 inverse frequencies (modeling_rope_utils). */
    private static double[] inverseFrequencies(Spec spec) {
        double[] inv = new double[spec.headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1 / Math.pow(spec.ropeTheta, 2.0 * i / spec.headDim);
            Llama3Rope r = spec.llama3Rope;
            if (r == null) {
                continue;
            }
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > r.originalMaxPositions() / r.lowFreqFactor()) {
                inv[i] /= r.factor();
            } else if (wavelen >= r.originalMaxPositions() / r.highFreqFactor()) {
                double smooth = (r.originalMaxPositions() / wavelen - r.lowFreqFactor())
                        / (r.highFreqFactor() - r.lowFreqFactor());
                inv[i] = (1 - smooth) * inv[i] / r.factor() + smooth * inv[i];
            }
        }
        return inv;
    }

    /** W·x (+ bias when the checkpoint has one), W stored [out, in] as Hugging Face does. */
    private double[] linear(String prefix, double[] x) {
        double[] y = matVec(model.values(prefix + ".weight"), x);
        if (model.tensors().containsKey(prefix + ".bias")) {
            add(y, toDouble(model.values(prefix + ".bias")));
        }
        return y;
    }

    private static double[] matVec(float[] w, double[] x) {
        double[] y = new double[w.length / x.length];
        for (int r = 0; r < y.length; r++) {
            for (int c = 0; c < x.length; c++) {
                y[r] += w[r * x.length + c] * x[c];
            }
        }
        return y;
    }

    private double[] rmsNorm(double[] x, float[] gain) {
        double sumSquares = 0;
        for (double v : x) {
            sumSquares += v * v;
        }
        double inv = 1 / Math.sqrt(sumSquares / x.length + spec.rmsNormEps);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = gain[i] * x[i] * inv;
        }
        return out;
    }

    private static void softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= sum;
        }
    }

    private static void add(double[] x, double[] delta) {
        for (int i = 0; i < x.length; i++) {
            x[i] += delta[i];
        }
    }

    private static double[] row(float[] matrix, int row, int width) {
        double[] out = new double[width];
        for (int i = 0; i < width; i++) {
            out[i] = matrix[row * width + i];
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
