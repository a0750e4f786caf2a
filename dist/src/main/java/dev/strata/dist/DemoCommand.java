package dev.strata.dist;

import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata demo}: a whole CDN on loopback. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run a whole CDN on loopback with nothing installed: a generated sample site behind a",
            "static origin, two shields, three edges (PoPs ams, nyc, sin) and the purge API, each with",
            "its own RocksDB directory. Prints one line per node (ROLE NAME URL), then curl examples;",
            "runs until Ctrl-C or SIGTERM and removes what it created."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  strata demo", "  strata demo --base-port 9000"})
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--base-port",
            paramLabel = "N",
            description =
                    "First port: origin N, edges N+1..N+3, shields N+4..N+5, purge API N+6,"
                            + " admin listeners at each node's port + 10 (default: ${DEFAULT-VALUE}; 0 lets the system choose).")
    int basePort = 8080;

    @Override
    public Integer call() throws InterruptedException {
        if (basePort < 0 || basePort > 65535 - 15) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this),
                    "--base-port: " + basePort + " (expected: 0, or 1 to " + (65535 - 15) + ")");
        }
        UntilStopped until = UntilStopped.install();
        Demo demo = until.starting(() -> Demo.start(basePort, Clock.systemUTC()));
        Terminal.out().print(demo.banner());
        Terminal.out().flush();
        return until.run(demo);
    }
}
