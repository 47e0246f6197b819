package io.ravel.node.cli;

import io.ravel.node.ReplicaLauncher;
import io.ravel.node.config.NodeConfig;
import io.ravel.node.config.StartOptions;
import io.ravel.node.raft.RaftFailures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code ravel_node start}: the seed's flags, then {@link ReplicaLauncher}; runs until SIGTERM / Ctrl-C. */
@Command(name = "start")
public final class StartCommand implements Callable<Integer> {

    @Option(names = {"--storagedir", "-s"}, paramLabel = "value")
    String storageDir;

    @Option(names = {"--grpcaddr", "-g"}, paramLabel = "value")
    String grpcAddress;

    @Option(names = {"--raftaddr", "-r"}, paramLabel = "value")
    String raftAddress;

    @Option(names = {"--adminrpcaddr", "-a"}, paramLabel = "value")
    String adminAddress;

    @Option(names = {"--metrics"}, paramLabel = "value")
    String metricsAddress;

    @Option(names = {"--yaml", "-y"}, paramLabel = "value")
    String yaml;

    /** {@code -l}, {@code -l=true}, {@code -l true}, {@code --leader=false}: arity 0..1 with true as the bare value. */
    @Option(names = {"--leader", "-l"}, arity = "0..1", fallbackValue = "true")
    Boolean leader;

    @Option(names = {"--help", "-h"}, usageHelp = true)
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The options as given, before YAML and defaults. */
    public StartOptions options() {
        return new StartOptions(storageDir, grpcAddress, raftAddress, adminAddress, leader, yaml, metricsAddress);
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig config = options().resolve();
        RaftFailures.setHandler(new StopOnRaftFailure(config.storageDir()));
        PrintStream out = System.out;
        ReplicaLauncher launcher = new ReplicaLauncher(config, out);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop, "ravel-shutdown"));
        launcher.start();
        launcher.awaitStop();
        return 0;
    }
}
