package io.ravel.node;

import com.google.protobuf.ByteString;
import io.ravel.common.GrpcChannels;
import io.ravel.common.Partitioner;
import io.ravel.node.config.NodeConfig;
import io.ravel.node.config.ReplicaIdentity;
import io.ravel.node.raft.LeadershipListener;
import io.ravel.node.raft.RaftSettings;
import io.ravel.proto.Code;
import io.ravel.proto.Command;
import io.ravel.proto.Operation;
import io.ravel.proto.RavelNodeGrpc;
import io.ravel.proto.Response;
import io.ravel.testkit.FreePorts;
import io.ravel.testkit.Waits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Three (or n) real replicas in one JVM, each with its own dir and loopback ports: the first founds
 * the cluster, the others join it through its Join RPC, exactly as started processes do.
 */
public final class ReplicaCluster implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** A UUID like the admin assigns, made to start with a digit, which SOFAJRaft refuses as a group name. */
    static final String CLUSTER_ID = "7" + UUID.randomUUID().toString().substring(1);

    private final List<NodeConfig> configs = new ArrayList<>();
    private final List<ReplicaIdentity> identities = new ArrayList<>();
    private final List<Replica> replicas = new ArrayList<>();
    private final GrpcChannels channels = new GrpcChannels();

    public ReplicaCluster(Path root, int size) {
        for (int i = 0; i < size; i++) {
            String grpc = FreePorts.address();
            String raft = FreePorts.address();
            NodeConfig config = new NodeConfig(root.resolve("replica" + i), grpc, raft, "127.0.0.1:1", i == 0,
                    new RaftSettings(2000, 0), 10_000);
            configs.add(config);
            identities.add(new ReplicaIdentity(UUID.randomUUID().toString(), CLUSTER_ID, grpc, raft, i == 0, ""));
            replicas.add(null);
        }
    }

    /** Starts the founder, waits for it to lead, then starts and joins every other replica. */
    public ReplicaCluster startAll() {
        start(0);
        Waits.until(WAIT, "the founder to lead", () -> replica(0).isLeader());
        for (int i = 1; i < configs.size(); i++) {
            start(i);
            replica(i).joinCluster(replica(0).self().grpcAddress(), null, WAIT);
        }
        Waits.until(WAIT, "every replica in the configuration",
                () -> leader().raft().peers().size() == configs.size());
        return this;
    }

    /** Starts replica i from its dir (a restart when it ran before). */
    public Replica start(int i) {
        Replica r = new Replica(configs.get(i), identities.get(i), LeadershipListener.NONE);
        try {
            r.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        replicas.set(i, r);
        return r;
    }

    public void stop(int i) {
        Replica r = replicas.get(i);
        if (r != null) {
            r.stop();
            replicas.set(i, null);
        }
    }

    public Replica replica(int i) {
        return replicas.get(i);
    }

    public int size() {
        return configs.size();
    }

    public int indexOf(Replica r) {
        return replicas.indexOf(r);
    }

    /** The running replica that serves as leader, waiting for one. */
    public Replica leader() {
        Replica[] found = new Replica[1];
        Waits.until(WAIT, "a leader", () -> {
            for (Replica r : replicas) {
                if (r != null && r.isLeader()) {
                    found[0] = r;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Makes replica i the leader (transferring leadership to it) and waits until it serves. */
    public Replica makeLeader(int i) {
        Replica target = replica(i);
        Waits.until(WAIT, "replica " + i + " to lead", () -> {
            if (target.isLeader()) {
                return true;
            }
            Replica current = leader();
            current.raft().transferLeadershipTo(target.self());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end && !target.isLeader()) {
                pause(20);
            }
            return target.isLeader();
        });
        return target;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public RavelNodeGrpc.RavelNodeBlockingStub stub(Replica r) {
        return RavelNodeGrpc.newBlockingStub(channels.get(r.self().grpcAddress())).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public Response run(Replica r, Operation op, String key, String value) {
        Command.Builder c = Command.newBuilder().setOperation(op).setPartition(partitionOf(key))
                .setKey(ByteString.copyFromUtf8(key));
        if (value != null) {
            c.setValue(ByteString.copyFromUtf8(value));
        }
        return stub(r).run(c.build());
    }

    /** Writes key=value through whoever leads, retrying until the write is acknowledged. */
    public void put(String key, String value) {
        Waits.until(WAIT, "acknowledged write of " + key, () -> {
            Response res = run(leader(), Operation.SET, key, value);
            return res.getCode() == Code.OK;
        });
    }

    /**
     * The value replica r serves for key, or null when absent. r must lead: when it answers
     * NOT_LEADER (leadership moved, e.g. an election on a loaded machine) it is made leader again,
     * and UNAVAILABLE is retried; any other answer fails the test.
     */
    public String get(Replica r, String key) {
        String[] value = new String[1];
        Waits.until(WAIT, "GET " + key + " on " + r.self().grpcAddress(), () -> {
            Response res = run(r, Operation.GET, key, null);
            switch (res.getCode()) {
                case OK -> {
                    value[0] = res.getValue().toString(StandardCharsets.UTF_8);
                    return true;
                }
                case NOT_FOUND -> {
                    value[0] = null;
                    return true;
                }
                case UNAVAILABLE -> {
                    return false;
                }
                case NOT_LEADER -> {
                    assertNoData(res);
                    makeLeader(indexOf(r));
                    return false;
                }
                default -> throw new AssertionError("GET " + key + " on " + r.self().grpcAddress() + ": "
                        + res.getCode() + " " + res.getMessage());
            }
        });
        return value[0];
    }

    static void assertNoData(Response res) {
        if (!res.getValue().isEmpty()) {
            throw new AssertionError("a replica that does not lead returned data: " + res);
        }
    }

    /** The partition the admin would route {@code key} to. */
    public static int partitionOf(String key) {
        return Partitioner.partitionOf(key);
    }

    @Override
    public void close() {
        for (int i = 0; i < replicas.size(); i++) {
            try {
                stop(i);
            } catch (RuntimeException ignored) {
                // keep stopping the others
            }
        }
        channels.close();
    }
}
