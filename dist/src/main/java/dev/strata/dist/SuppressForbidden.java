package dev.strata.dist;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks the few places that talk to the terminal, which forbiddenapis otherwise refuses. */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.FIELD})
@interface SuppressForbidden {
    /** Why the forbidden API is right here. */
    String reason();
}
