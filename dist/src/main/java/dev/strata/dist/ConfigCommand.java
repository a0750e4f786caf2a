package dev.strata.dist;

import dev.strata.config.ConfigLoader;
import dev.strata.config.ConfigPrinter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata config}: configuration tools. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Configuration tools.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        Terminal.err().println("strata config: a sub-command is required (try: strata config check FILE)");
    }

    /** {@code strata config check FILE}. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Validate a configuration file and print the effective configuration, or the error"
                    + " (exit status 2).",
            footerHeading = "%nExamples:%n",
            footer = {"  strata config check /etc/strata/strata.yaml", "  strata config check docs/strata.example.yaml"
            })
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The YAML file to check.")
        Path file = Path.of("strata.yaml");

        @Override
        public Integer call() {
            String effective = ConfigPrinter.render(ConfigLoader.load(file));
            Terminal.out().println("# " + file + ": valid; effective configuration:");
            Terminal.out().print(effective);
            return 0;
        }
    }
}
