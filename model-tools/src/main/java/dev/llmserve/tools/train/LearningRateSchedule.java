package dev.llmserve.tools.train;

/** Linear warm-up to the peak rate, then a cosine decay to the floor at the last step. */
public record LearningRateSchedule(double peak, double floor, int warmupSteps, int totalSteps) {

    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
    }
}
