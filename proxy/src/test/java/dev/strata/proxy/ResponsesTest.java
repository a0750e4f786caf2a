package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.lookup.CacheStatusField;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResponsesTest {
    private final Responses responses = new Responses("ams-1", true, new Rejections(new SimpleMeterRegistry()));

    @Test
    void aHitMemberIsTheBuiltMemberForItsOwnTtlWhateverCameBefore() {
        // Repeated and alternating ttls: the remembered last member must never leak.
        for (Duration ttl : new Duration[] {
            Duration.ofSeconds(300),
            Duration.ofSeconds(300),
            Duration.ofMillis(299_500),
            Duration.ofSeconds(7),
            Duration.ofSeconds(300),
            Duration.ofSeconds(-4),
            Duration.ofDays(36_500_000)
        }) {
            assertThat(responses.hitMember(ttl))
                    .isEqualTo(CacheStatusField.builder("ams-1")
                            .hit()
                            .ttl(ttl)
                            .build()
                            .format());
        }
    }
}
