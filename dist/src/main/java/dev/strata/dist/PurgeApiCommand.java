package dev.strata.dist;

import dev.strata.config.StrataConfig;
import dev.strata.purge.PurgeApiServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata purge-api}: the purge API server. */
@Command(
        name = "purge-api",
        mixinStandardHelpOptions = true,
        description = "Run the purge API and its durable purge log: embedded (RocksDB) or on NATS JetStream,"
                + " shared by several replicas (docs/purge.md).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  strata purge-api --config strata.yaml",
            "  strata purge-api --config replica.yaml   # purge-api.log.kind: nats, one stream for every replica",
            "  curl -H 'Authorization: Bearer TOKEN' -d '{\"tags\":[\"catalog\"]}' http://127.0.0.1:8090/v1/purge",
            "  curl http://127.0.0.1:8090/openapi.json"
        })
final class PurgeApiCommand implements Callable<Integer> {
    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to listen on.")
    @Nullable
    String listen;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML configuration file.")
    @Nullable
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        StrataConfig loaded = new Flags().set("purge-api.listen", listen).load(config);
        UntilStopped until = UntilStopped.install();
        PurgeApiServer server =
                until.starting(() -> PurgeApiServer.start(loaded.purgeApi(), loaded.sites(), Clock.systemUTC()));
        Terminal.out().println("purge-api purge-api " + server.uri());
        return until.run(server);
    }
}
