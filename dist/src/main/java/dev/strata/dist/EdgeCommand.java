package dev.strata.dist;

import dev.strata.config.ConfigException;
import dev.strata.config.StrataConfig;
import dev.strata.edge.EdgeServer;
import dev.strata.proxy.ProxyNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata edge}: a caching edge in front of an origin or a set of shields. */
@Command(
        name = "edge",
        mixinStandardHelpOptions = true,
        description = "Run an edge: a caching proxy in front of an HTTP origin or of the shield tier.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  strata edge --listen 127.0.0.1:8080 --origin http://127.0.0.1:8000",
            "  strata edge --listen 0.0.0.0:80 --shield http://10.0.0.5:8070,http://10.0.0.6:8070 \\",
            "              --cache-dir /var/cache/strata --name ams",
            "  strata edge --config /etc/strata/strata.yaml",
            "",
            "Flags override the config file; see docs/configuration.md. SIGHUP reloads the file (the flags",
            "still on top); SIGTERM or Ctrl-C drains and stops (exit status 0); see docs/operations.md."
        })
final class EdgeCommand implements Callable<Integer> {
    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(
            names = "--origin",
            split = ",",
            paramLabel = "URL",
            description = "Origin(s) to fetch from directly (replaces the config file's sites).")
    List<String> origins = new ArrayList<>();

    @Option(
            names = "--shield",
            split = ",",
            paramLabel = "URL",
            description = "Shield(s) to fetch from, picked per object by consistent hashing.")
    List<String> shields = new ArrayList<>();

    StrataConfig configuration() {
        if (!origins.isEmpty() && !shields.isEmpty()) {
            throw new ConfigException("command line: --origin and --shield: both given (expected: one of them)");
        }
        return node.flags("edge")
                .set("edge.shields", shields)
                .origins("--origin", origins)
                .load(node.config);
    }

    /** Starts the edge; a reload reads the file again, with these flags on top. */
    ProxyNode start(Clock clock) {
        return EdgeServer.start(this::configuration, clock);
    }

    @Override
    public Integer call() throws InterruptedException {
        UntilStopped until = UntilStopped.install();
        ProxyNode node = until.starting(() -> start(Clock.systemUTC()));
        Terminal.out().println("edge " + node.name() + " " + node.uri());
        node.adminUri().ifPresent(admin -> Terminal.out().println("admin " + node.name() + " " + admin));
        Terminal.out().flush();
        return until.run(node, node::reload);
    }
}
