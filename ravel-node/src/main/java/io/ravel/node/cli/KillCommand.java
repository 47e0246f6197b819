package io.ravel.node.cli;

import io.ravel.node.ReplicaRemoval;
import io.ravel.node.config.NodeConfig;
import io.ravel.node.config.StartOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code ravel_node kill -s DIR}: removes the replica of DIR from the system and deletes DIR. Prints the
 * relocation progress while the admin moves the cluster's data away (its last replica), then one summary line.
 */
@Command(name = "kill")
public final class KillCommand implements Callable<Integer> {

    @Option(names = {"--storagedir", "-s"}, paramLabel = "value")
    String storageDir;

    @Option(names = {"--adminrpcaddr", "-a"}, paramLabel = "value")
    String adminAddress;

    @Option(names = {"--help", "-h"}, usageHelp = true)
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String dir = storageDir == null ? NodeConfig.DEFAULT_STORAGE_DIR : StartOptions.unquote(storageDir);
        String admin = adminAddress == null ? null : StartOptions.addressList(StartOptions.unquote(adminAddress), "--adminrpcaddr");
        PrintWriter out = spec.commandLine().getOut();
        String summary = new ReplicaRemoval(dir, admin, line -> {
            out.println(line);
            out.flush();
        }).run();
        out.println(summary);
        out.flush();
        return 0;
    }
}
