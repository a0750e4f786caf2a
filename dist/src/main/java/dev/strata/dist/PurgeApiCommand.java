package dev.strata.dist;

import dev.strata.purge.PurgeApiServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata purge-api}: the purge API server. */
@Command(
        name = "purge-api",
        mixinStandardHelpOptions = true,
        description = "Run the purge API (today: its health check at /healthz).",
        footerHeading = "%nExamples:%n",
        footer = {"  strata purge-api --listen 127.0.0.1:8090", "  curl http://127.0.0.1:8090/healthz"})
final class PurgeApiCommand implements Callable<Integer> {
    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to listen on.")
    @Nullable
    String listen;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML configuration file.")
    @Nullable
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PurgeApiServer server = PurgeApiServer.start(
                new Flags().set("purge-api.listen", listen).load(config).purgeApi());
        Terminal.out().println("purge-api purge-api " + server.uri());
        return UntilStopped.run(server);
    }
}
