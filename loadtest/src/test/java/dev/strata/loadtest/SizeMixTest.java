package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SizeMixTest {
    @Test
    void clampKeepsSizesBetweenOneKibAndOneMib() {
        assertThat(SizeMix.clamp(0)).isEqualTo(1024);
        assertThat(SizeMix.clamp(-5)).isEqualTo(1024);
        assertThat(SizeMix.clamp(Double.NaN)).isEqualTo(1024);
        assertThat(SizeMix.clamp(1023.9)).isEqualTo(1024);
        assertThat(SizeMix.clamp(5000.4)).isEqualTo(5000);
        assertThat(SizeMix.clamp(1024.0 * 1024)).isEqualTo(1024 * 1024);
        assertThat(SizeMix.clamp(1e12)).isEqualTo(1024 * 1024);
        assertThat(SizeMix.clamp(Double.POSITIVE_INFINITY)).isEqualTo(1024 * 1024);
    }

    @Test
    void aWideMixHitsBothBoundsAndNeverLeavesThem() {
        SizeMix wide = new SizeMix(1, 16 * 1024, 4.0);
        int[] sizes = new int[20_000];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = wide.sizeOf(i);
        }
        assertThat(Arrays.stream(sizes).min().orElseThrow()).isGreaterThanOrEqualTo(SizeMix.MIN_BYTES);
        assertThat(Arrays.stream(sizes).max().orElseThrow()).isLessThanOrEqualTo(SizeMix.MAX_BYTES);
        assertThat(Arrays.stream(sizes).filter(s -> s == SizeMix.MIN_BYTES).count())
                .isPositive();
        assertThat(Arrays.stream(sizes).filter(s -> s == SizeMix.MAX_BYTES).count())
                .isPositive();
    }

    @Test
    void webMixHasItsMedianAndIsSeeded() {
        SizeMix web = SizeMix.web(3);
        int[] sizes = new int[20_001];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = web.sizeOf(i);
            assertThat(SizeMix.web(3).sizeOf(i)).isEqualTo(sizes[i]);
        }
        Arrays.sort(sizes);
        assertThat(sizes[sizes.length / 2]).isBetween(15_000, 17_800);
    }
}
