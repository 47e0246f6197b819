package io.ravel.node.cli;

/** The help screens of {@code ravel_node}, laid out like the seed's. */
final class HelpText {

    private HelpText() {
    }

    static final String ROOT = """
            NAME:
               Ravel Replica - Manage a Ravel replica server

            USAGE:
               ravel_node [global options] command [command options] [arguments...]

            COMMANDS:
               start    Starts a replica server
               kill     Removes and deletes all the data in the cluster
               help, h  Shows a list of commands or help for one command

            GLOBAL OPTIONS:
               --help, -h  show help (default: false)
            """;

    static final String START = """
            NAME:
               ravel_node start - Starts a replica server

            USAGE:
               ravel_node start [command options] [arguments...]

            OPTIONS:
               --storagedir value, -s value    Storage Dir (default: "~/ravel_replica")
               --grpcaddr value, -g value      GRPC Addr of this replica (default: "localhost:50000")
               --raftaddr value, -r value      Raft Internal address for this replica (default: "localhost:60000")
               --adminrpcaddr value, -a value  GRPC address of the cluster admin, or comma-separated admins (default: "localhost:42000")
               --metrics value                 HOST:PORT that serves GET /metrics in Prometheus text (default: off)
               --yaml value, -y value          yaml file containing the config
               --leader, -l                    Register this node as a new leader or not (default: false)
               --help, -h                      show help (default: false)

            YAML KEYS (flags given on the command line win):
               storagedir, grpcaddr, raftaddr, adminrpcaddr, leader, metricsaddr,
               electionTimeoutMs (default: 800), snapshotIntervalSecs (default: 300, 0 = off),
               requestTimeoutMs (default: 10000)
            """;

    static final String KILL = """
            NAME:
               ravel_node kill - Removes and deletes all the data in the cluster

            USAGE:
               ravel_node kill [command options] [arguments...]

            OPTIONS:
               --storagedir value, -s value    Storage Dir (default: "~/ravel_replica")
               --adminrpcaddr value, -a value  GRPC address of the cluster admin, or comma-separated admins (default: the one the replica registered with)
               --help, -h                      show help (default: false)
            """;
}
