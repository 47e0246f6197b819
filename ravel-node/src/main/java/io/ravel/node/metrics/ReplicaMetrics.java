package io.ravel.node.metrics;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.core.State;
import com.codahale.metrics.Histogram;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ravel.node.raft.RaftObserver;
import io.ravel.node.raft.RaftReplica;
import io.ravel.node.storage.RocksStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The Prometheus metrics of one replica (served by {@link MetricsServer}): Raft role, term, commit and
 * applied index, apply lag, snapshots saved and installed with their time, the Raft log's size on disk,
 * RocksDB's live data size and key estimate, entries per Raft log append, the Raft log's synced writes
 * and the state machine's applies (entries and time of each), operations per batch call, and requests
 * and latency per gRPC method. Every gauge is read when Prometheus scrapes; the summaries are recorded
 * as the events happen (a few counter updates each).
 */
public final class ReplicaMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Micrometer holds the objects its gauges read only weakly: these keep them for the replica's life.
    private Supplier<RaftReplica> raft;
    private Supplier<RocksStore> store;
    private Path logDir;

    /**
     * Counts and times every gRPC call by service, method and status ({@code grpc_server_*}), and the
     * operations of each batch call ({@code ravel_grpc_batch_operations}).
     */
    public ServerInterceptor grpcInterceptor() {
        ServerInterceptor calls = new MetricCollectingServerInterceptor(registry);
        ServerInterceptor batches = new BatchSizes(registry);
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                             ServerCallHandler<Q, A> next) {
                return calls.interceptCall(call, headers, (c, h) -> batches.interceptCall(c, h, next));
            }
        };
    }

    /** Records the Raft log's synced writes and the state machine's applies ({@code ravel_raft_log_sync_*}, {@code ravel_raft_apply_*}). */
    public RaftObserver raftObserver() {
        return new RaftTimings(registry);
    }

    /**
     * Registers the replica's gauges; {@code raft} and {@code store} are read at each scrape and may
     * return null while the replica starts or stops (the gauges then read NaN).
     */
    public void bind(Supplier<RaftReplica> raft, Supplier<RocksStore> store, Path logDir) {
        this.raft = raft;
        this.store = store;
        this.logDir = logDir;
        for (State s : new State[] {State.STATE_LEADER, State.STATE_FOLLOWER, State.STATE_CANDIDATE,
                State.STATE_TRANSFERRING, State.STATE_ERROR}) {
            String role = s.name().substring("STATE_".length()).toLowerCase(Locale.ROOT);
            Gauge.builder("ravel_raft_role", raft, r -> nodeState(r.get()) == s ? 1 : 0).tag("role", role)
                    .description("1 for the Raft role this replica is in, 0 for the others").register(registry);
        }
        raftGauge("ravel_raft_term", raft, r -> r.metered().term(), "the last Raft term this replica saw a leader in");
        nodeGauge("ravel_raft_commit_index", raft, Node::getLastCommittedIndex, "the last Raft log index known committed");
        nodeGauge("ravel_raft_applied_index", raft, Node::getLastAppliedLogIndex, "the last Raft log index applied to the state");
        nodeGauge("ravel_raft_last_log_index", raft, Node::getLastLogIndex, "the last index in this replica's Raft log");
        nodeGauge("ravel_raft_apply_lag", raft, n -> n.getLastCommittedIndex() - n.getLastAppliedLogIndex(),
                "committed Raft log entries not applied yet");
        FunctionTimer.builder("ravel_raft_snapshot_save", raft, r -> (long) snap(r, true, false), r -> snap(r, true, true),
                TimeUnit.SECONDS).description("Raft snapshots this replica saved, and their total time").register(registry);
        FunctionTimer.builder("ravel_raft_snapshot_install", raft, r -> (long) snap(r, false, false), r -> snap(r, false, true),
                TimeUnit.SECONDS).description("Raft snapshots this replica installed (loaded), and their total time")
                .register(registry);
        Gauge.builder("ravel_raft_log_size", logDir, ReplicaMetrics::dirBytes).baseUnit("bytes")
                .description("bytes of the Raft log on disk").register(registry);
        FunctionCounter.builder("ravel_raft_log_appends", raft, r -> histogram(r.get(), "append-logs-count", false))
                .description("batches of entries appended to this replica's Raft log").register(registry);
        Gauge.builder("ravel_raft_log_append_entries_mean", raft, r -> histogram(r.get(), "append-logs-count", true))
                .description("entries per Raft log append (mean over recent appends)").register(registry);
        Gauge.builder("ravel_rocksdb_live_data_size", store, s -> rocks(s.get(), "rocksdb.estimate-live-data-size"))
                .baseUnit("bytes").description("RocksDB's estimate of its live data").register(registry);
        Gauge.builder("ravel_rocksdb_estimated_keys", store, s -> rocks(s.get(), "rocksdb.estimate-num-keys"))
                .description("RocksDB's estimate of the keys it holds").register(registry);
    }

    /** The metrics in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    private void raftGauge(String name, Supplier<RaftReplica> raft, ToDoubleFunction<RaftReplica> f, String help) {
        Gauge.builder(name, raft, r -> {
            RaftReplica x = r.get();
            return x == null ? Double.NaN : f.applyAsDouble(x);
        }).description(help).register(registry);
    }

    private void nodeGauge(String name, Supplier<RaftReplica> raft, ToDoubleFunction<Node> f, String help) {
        raftGauge(name, raft, r -> {
            Node n = r.node();
            return n == null ? Double.NaN : f.applyAsDouble(n);
        }, help);
    }

    private static State nodeState(RaftReplica r) {
        Node n = r == null ? null : r.node();
        return n instanceof NodeImpl impl ? impl.getNodeState() : null;
    }

    private static double snap(Supplier<RaftReplica> raft, boolean save, boolean seconds) {
        RaftReplica r = raft.get();
        if (r == null) {
            return 0;
        }
        var c = r.metered().counts();
        if (save) {
            return seconds ? c.savedSeconds() : c.saved();
        }
        return seconds ? c.loadedSeconds() : c.loaded();
    }

    private static double histogram(RaftReplica r, String name, boolean mean) {
        Node n = r == null ? null : r.node();
        if (n == null || n.getNodeMetrics() == null || n.getNodeMetrics().getMetricRegistry() == null) {
            return mean ? Double.NaN : 0;
        }
        Histogram h = n.getNodeMetrics().getMetricRegistry().getHistograms().get(name);
        if (h == null) {
            return mean ? Double.NaN : 0;
        }
        return mean ? h.getSnapshot().getMean() : h.getCount();
    }

    private static double rocks(RocksStore s, String property) {
        long v = s == null ? -1 : s.longProperty(property);
        return v < 0 ? Double.NaN : v;
    }

    private static double dirBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed while being counted
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
