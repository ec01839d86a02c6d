package dev.llmserve.engine.config;

/**
 * RoPE frequency scaling from config.json's {@code rope_scaling}. Supported: {@code linear}
 * (positions divided by factor) and {@code llama3} (Llama 3.1's per-frequency smoothing).
 */
public record RopeScaling(
        String type, double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

    /** The inverse frequency of rotary pair {@code i} of a head of size {@code headDim}, after scaling. */
    public static double[] inverseFrequencies(int headDim, double theta, RopeScaling scaling) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            if (scaling != null) {
                inv[i] = scaling.scale(inv[i]);
            }
        }
        return inv;
    }

    private double scale(double freq) {
        if (type.equals("linear")) {
            return freq / factor;
        }
        // llama3: keep high frequencies, divide low ones by factor, blend in between.
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        double wavelen = 2 * Math.PI / freq;
        if (wavelen < highFreqWavelen) {
            return freq;
        }
        if (wavelen > lowFreqWavelen) {
            return freq / factor;
        }
        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * freq / factor + smooth * freq;
    }
}
