package dev.strata.dist;

import dev.strata.cache.store.CacheStorageException;
import dev.strata.config.ConfigException;
import dev.strata.loadtest.LoadtestException;
import java.io.UncheckedIOException;
import java.net.BindException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code strata} command. Exit status: 0 on a clean stop, 1 when a node cannot start (a port in
 * use, an unusable cache directory), 2 for an invalid configuration or command line.
 */
@Command(
        name = "strata",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Strata: a caching CDN edge node with origin shielding.",
        subcommands = {
            DemoCommand.class,
            EdgeCommand.class,
            ShieldCommand.class,
            OriginCommand.class,
            PurgeApiCommand.class,
            ConfigCommand.class,
            LoadtestCommand.class
        })
public final class Main implements Runnable {
    /** Exit status for an invalid configuration or command line. */
    static final int BAD_CONFIG = 2;

    /** Exit status when a node cannot start. */
    static final int CANNOT_START = 1;

    @Override
    public void run() {
        new CommandLine(this).usage(Terminal.err());
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // Undertow and XNIO log through jboss-logging: send it to SLF4J, like everything else.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status. */
    static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((failure, command, parsed) -> {
            Terminal.err().println("strata: " + describe(failure));
            return failure instanceof ConfigException ? BAD_CONFIG : CANNOT_START;
        });
        return commandLine.execute(args);
    }

    private static String describe(Exception failure) {
        if (failure instanceof ConfigException
                || failure instanceof CacheStorageException
                || failure instanceof LoadtestException) {
            return String.valueOf(failure.getMessage());
        }
        String message = String.valueOf(failure.getMessage());
        if (find(failure, BindException.class) != null) {
            return message.startsWith("cannot listen")
                    ? message + " (is another process using the port?)"
                    : "cannot listen: " + message;
        }
        if (failure instanceof UncheckedIOException) {
            return "cannot start: " + message; // names what could not be opened or reached
        }
        return "cannot start: " + failure;
    }

    private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"strata " + (version == null ? "(development build)" : version)};
        }
    }
}
