package dev.strata.dist;

import dev.strata.config.StrataConfig;
import dev.strata.proxy.ProxyNode;
import dev.strata.shield.ShieldServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata shield}: an origin shield in front of one or more origins. */
@Command(
        name = "shield",
        mixinStandardHelpOptions = true,
        description = "Run an origin shield: the caching tier between the edges and the origins.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  strata shield --listen 127.0.0.1:8070 --origin http://127.0.0.1:8000",
            "  strata shield --listen 0.0.0.0:8070 --origin http://10.0.1.1,http://10.0.1.2 \\",
            "                --cache-dir /var/cache/strata-shield --name shield-fra",
            "",
            "Flags override the config file; see docs/configuration.md. SIGHUP reloads the file (the flags",
            "still on top); SIGTERM or Ctrl-C drains and stops (exit status 0); see docs/operations.md."
        })
final class ShieldCommand implements Callable<Integer> {
    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(
            names = "--origin",
            split = ",",
            paramLabel = "URL",
            description = "Origin(s) to fetch from (replaces the config file's sites).")
    List<String> origins = new ArrayList<>();

    StrataConfig configuration() {
        return node.flags("shield").origins("--origin", origins).load(node.config);
    }

    @Override
    public Integer call() throws InterruptedException {
        UntilStopped until = UntilStopped.install();
        ProxyNode node = until.starting(() -> ShieldServer.start(this::configuration, Clock.systemUTC()));
        Terminal.out().println("shield " + node.name() + " " + node.uri());
        node.adminUri().ifPresent(admin -> Terminal.out().println("admin " + node.name() + " " + admin));
        Terminal.out().flush();
        return until.run(node, node::reload);
    }
}
