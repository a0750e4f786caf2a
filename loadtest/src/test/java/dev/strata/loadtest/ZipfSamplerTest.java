package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZipfSamplerTest {
    private static final int SAMPLES = 400_000;

    @ParameterizedTest
    @CsvSource({"1000, 1.0", "10000, 0.8", "100, 1.2", "50, 0.0"})
    void rankOneComesUpAsOftenAsTheoryPredicts(int objects, double alpha) {
        ZipfSampler sampler = new ZipfSampler(objects, alpha);
        double harmonic = 0;
        for (int k = 1; k <= objects; k++) {
            harmonic += Math.pow(k, -alpha);
        }
        double expected1 = 1 / harmonic;
        double expected2 = Math.pow(2, -alpha) / harmonic;
        int[] counts = new int[objects + 1];
        for (long i = 0; i < SAMPLES; i++) {
            counts[sampler.rank(SplitMix.uniform(42, i))]++;
        }
        assertThat(sampler.probability(1)).isCloseTo(expected1, within(1e-12));
        assertThat((double) counts[1] / SAMPLES).isCloseTo(expected1, within(expected1 * 0.03));
        assertThat((double) counts[2] / SAMPLES).isCloseTo(expected2, within(expected2 * 0.05));
    }

    @Test
    void ranksStayInRangeAtTheEdges() {
        ZipfSampler sampler = new ZipfSampler(10, 1.0);
        assertThat(sampler.rank(0.0)).isEqualTo(1);
        assertThat(sampler.rank(Math.nextDown(1.0))).isEqualTo(10);
        assertThat(sampler.rank(sampler.probability(1))).isEqualTo(2);
    }

    @Test
    void rejectsNoObjectsAndNegativeAlpha() {
        assertThatThrownBy(() -> new ZipfSampler(0, 1)).hasMessageContaining("objects: 0");
        assertThatThrownBy(() -> new ZipfSampler(10, -1)).hasMessageContaining("alpha: -1.0");
    }

    @Test
    void workloadIsDeterministicAndNamesTheTestOriginsObjects() {
        ZipfWorkload a =
                new ZipfWorkload(URI.create("http://127.0.0.1:9/"), new ZipfSampler(100, 1), SizeMix.web(7), 7);
        ZipfWorkload b = new ZipfWorkload(URI.create("http://127.0.0.1:9"), new ZipfSampler(100, 1), SizeMix.web(7), 7);
        for (long i = 0; i < 100; i++) {
            assertThat(a.uri(i)).isEqualTo(b.uri(i));
            assertThat(a.uri(i).toString()).matches("http://127\\.0\\.0\\.1:9/obj/\\d+\\?size=\\d+");
        }
        ZipfWorkload onFile = new ZipfWorkload(
                URI.create("http://127.0.0.1:9/css/site.css"), new ZipfSampler(100, 1), SizeMix.web(7), 7);
        assertThat(onFile.uri(0).toString()).matches("http://127\\.0\\.0\\.1:9/css/site\\.css\\?obj=\\d+&size=\\d+");
    }
}
