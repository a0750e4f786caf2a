package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessLogConfigTest {
    @Test
    void byDefaultEachNodeLogsToItsOwnFileUnderLogs() {
        AccessLogConfig config = StrataConfig.defaults().accessLog();

        assertThat(config.enabled()).isTrue();
        assertThat(config.format()).isEqualTo("combined");
        assertThat(config.pathFor("edge", "ams")).isEqualTo(Path.of("logs", "edge-ams-access.log"));
        assertThat(config.pathFor("shield", "shield-1")).isEqualTo(Path.of("logs", "shield-shield-1-access.log"));
        assertThat(config.maxSize()).isEqualTo(ByteSize.ofMebibytes(100));
        assertThat(config.maxFiles()).isEqualTo(10);
        assertThat(StrataConfig.defaults().serverTiming().enabled()).isFalse();
    }

    @Test
    void aPathWithoutPlaceholdersIsUsedAsItIs() {
        StrataConfig config = ConfigLoader.load(
                null, Map.of("access-log.path", "/var/log/strata/access.log", "access-log.format", "json"));

        assertThat(config.accessLog().pathFor("edge", "ams")).isEqualTo(Path.of("/var/log/strata/access.log"));
        assertThat(config.accessLog().format()).isEqualTo("json");
    }
}
