package dev.strata.dist;

import dev.strata.config.OriginConfig;
import dev.strata.origin.OriginServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata origin}: the built-in static asset origin. */
@Command(
        name = "origin",
        mixinStandardHelpOptions = true,
        description = "Serve a directory as a static asset origin: Content-Type, strong ETag, Last-Modified,"
                + " Cache-Control, conditional requests (304) and byte ranges (206, 416).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  strata origin --listen 127.0.0.1:8000 --dir ./public",
            "  strata origin --listen 127.0.0.1:8000 --dir ./public --cache-control 'public, max-age=3600'"
        })
final class OriginCommand implements Callable<Integer> {
    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to listen on.")
    @Nullable
    String listen;

    @Option(names = "--dir", paramLabel = "DIR", description = "The directory to serve.")
    @Nullable
    Path dir;

    @Option(
            names = "--cache-control",
            paramLabel = "VALUE",
            description = "Cache-Control of every response (default: public, max-age=60).")
    @Nullable
    String cacheControl;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML configuration file.")
    @Nullable
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        OriginConfig loaded = new Flags()
                .set("origin.listen", listen)
                .set("origin.dir", dir)
                .set("origin.cache-control", cacheControl)
                .load(config)
                .origin();
        UntilStopped until = UntilStopped.install();
        OriginServer origin = until.starting(() -> OriginServer.start(loaded));
        Terminal.out().println("origin origin " + origin.uri());
        return until.run(origin);
    }
}
