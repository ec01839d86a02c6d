package dev.llmserve.shard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIf;

/** Skips a test class, with a message, when the shared stories260K model is not next to the checkout. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf(value = "dev.llmserve.shard.SharedModels#stories260KPresent", disabledReason = SharedModels.MISSING)
public @interface RequiresStories260K {
}
