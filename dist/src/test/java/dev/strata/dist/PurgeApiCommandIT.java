package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata purge-api --config} with the log on NATS JetStream, when no NATS server answers. */
class PurgeApiCommandIT {
    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalErr = System.err;

    @BeforeEach
    void capture() {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
    }

    @Test
    void anUnreachableNatsServerStopsTheStartWithStatus1NamingIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path config = dir.resolve("strata.yaml");
        Files.writeString(
                config,
                """
                purge-api:
                  listen: 127.0.0.1:0
                  log:
                    kind: nats
                    nats:
                      servers: [nats://127.0.0.1:PORT]
                      connect-timeout: 2s
                """
                        .replace("PORT", Integer.toString(closedPort)));

        int status = Main.execute("purge-api", "--config", config.toString());

        assertThat(status).isEqualTo(Main.CANNOT_START);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("strata: cannot start: purge log: no NATS server of [nats://127.0.0.1:" + closedPort
                        + "] could be reached within 2000 ms (purge-api.log.nats.servers)")
                .doesNotContain("\tat ");
    }
}
