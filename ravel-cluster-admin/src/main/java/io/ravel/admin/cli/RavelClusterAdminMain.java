package io.ravel.admin.cli;

import io.ravel.admin.AdminConfig;
import io.ravel.admin.AdminServer;
import io.ravel.admin.group.GroupConfig;
import io.ravel.admin.relocation.RelocationSettings;
import io.ravel.common.HostPort;
import io.ravel.common.UserPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code ravel_cluster_admin}: parses and validates the flags, builds an
 * {@link AdminConfig}, starts an {@link AdminServer}, prints the readiness line and serves until
 * SIGTERM/SIGINT. A mistake (bad flag, port in use, unwritable backup path) is one line on stderr and
 * a non-zero exit.
 */
@Command(name = "ravel_cluster_admin")
public final class RavelClusterAdminMain {

    static final String HELP = String.join(System.lineSeparator(),
            "NAME:",
            "   Ravel Cluster Admin - Start a Ravel Cluster Admin server",
            "",
            "USAGE:",
            "   ravel_cluster_admin [global options] command [command options] [arguments...]",
            "",
            "COMMANDS:",
            "   help, h  Shows a list of commands or help for one command",
            "",
            "GLOBAL OPTIONS:",
            "   --http value             Address (with port) on which the HTTP server should listen (default: \""
                    + AdminConfig.DEFAULT_HTTP + "\")",
            "   --grpc value             Address (with port) on which the gRPC server should listen (default: \""
                    + AdminConfig.DEFAULT_GRPC + "\")",
            "   --backupPath value       Path where the Cluster Admin should persist its state on disk (default: \""
                    + AdminConfig.DEFAULT_BACKUP_PATH + "\")",
            "   --maxRequestBytes value  Largest HTTP request body accepted, in bytes; a larger one gets 413 (default: "
                    + AdminConfig.DEFAULT_MAX_REQUEST_BYTES + ")",
                        "   --raft value             Raft address (with port) of this admin in an admin group (default: none, a single admin)",
            "   --peers value            Comma-separated Raft addresses of every admin of the group, this one included",
            "   --help, -h               show help (default: false)",
            "");

    /** Exit status for a usage mistake (unknown flag, bad value). */
    static final int EXIT_USAGE = 2;
    /** Exit status when the admin cannot start (port in use, unwritable backup path). */
    static final int EXIT_START_FAILED = 1;

    @Option(names = "--http", defaultValue = AdminConfig.DEFAULT_HTTP)
    String http;

    @Option(names = "--grpc", defaultValue = AdminConfig.DEFAULT_GRPC)
    String grpc;

    @Option(names = "--backupPath", defaultValue = AdminConfig.DEFAULT_BACKUP_PATH)
    String backupPath;

    @Option(names = "--maxRequestBytes")
    String maxRequestBytes;

    @Option(names = "--raft")
    String raft;

    @Option(names = "--peers")
    String peers;

    @Option(names = {"-h", "--help"})
    boolean help;

    @CommandLine.Parameters(arity = "0..*", hidden = true)
    java.util.List<String> command;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The --maxRequestBytes value: a whole number of bytes, or the default when the flag is absent. */
    private static int maxRequestBytes(String raw) {
        if (raw == null) {
            return AdminConfig.DEFAULT_MAX_REQUEST_BYTES;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--maxRequestBytes: '" + raw + "' is not a whole number of bytes ("
                    + AdminConfig.MIN_MAX_REQUEST_BYTES + ".." + AdminConfig.MAX_MAX_REQUEST_BYTES + ")");
        }
    }

    /** Runs the admin; returns the exit status (only after a failure or a shutdown signal). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        RavelClusterAdminMain flags = new RavelClusterAdminMain();
        try {
            new CommandLine(flags).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("ravel_cluster_admin: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        }
        if (flags.help || (flags.command != null && !flags.command.isEmpty()
                && (flags.command.get(0).equals("help") || flags.command.get(0).equals("h")))) {
            out.print(HELP);
            out.flush();
            return 0;
        }
        if (flags.command != null && !flags.command.isEmpty()) {
            err.println("ravel_cluster_admin: unexpected argument '" + flags.command.get(0) + "' (see --help)");
            return EXIT_USAGE;
        }
        AdminConfig config;
        try {
            HostPort httpAddress = HostPort.parse(flags.http, "--http");
            HostPort grpcAddress = HostPort.parse(flags.grpc, "--grpc");
            Path backup = UserPaths.expand(flags.backupPath);
            GroupConfig group = GroupConfig.parse(flags.raft, flags.peers);
            config = new AdminConfig(httpAddress, grpcAddress, backup, RelocationSettings.fromEnvironment(),
                    maxRequestBytes(flags.maxRequestBytes), group);
        } catch (IllegalArgumentException e) {
            err.println("ravel_cluster_admin: " + e.getMessage());
            return EXIT_USAGE;
        }
        AdminServer server = new AdminServer(config);
        try {
            server.start();
        } catch (AdminServer.AdminStartException e) {
            err.println("ravel_cluster_admin: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "ravel-admin-shutdown"));
        out.println("ravel_cluster_admin ready http=" + server.httpAddress() + " grpc=" + server.grpcAddress()
                + (config.group() == null ? "" : " raft=" + config.group().raft()));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
