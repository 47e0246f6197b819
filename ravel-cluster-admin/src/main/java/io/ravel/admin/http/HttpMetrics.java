package io.ravel.admin.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.routing.OwnerLookup;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics of the admin: requests and latency per route and status
 * ({@code ravel_http_requests_seconds_*}), errors per route and status ({@code ravel_http_errors_total}),
 * whether each cluster's leader is known ({@code ravel_cluster_leader_known} 1/0), the number of clusters
 * and the relocation moves left. Thread-safe.
 */
final class HttpMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AdminState state;
    private final LeaderTracker leaders;
    private final MultiGauge leaderKnown;
    private final ConcurrentMap<String, Meters> meters = new ConcurrentHashMap<>();

    HttpMetrics(AdminState state, LeaderTracker leaders, OwnerLookup owners) {
        this.state = state;
        this.leaders = leaders;
        this.leaderKnown = MultiGauge.builder("ravel_cluster_leader_known")
                .description("1 when the admin knows the cluster's leader, else 0").register(registry);
        Gauge.builder("ravel_clusters", state, s -> s.clusterCount())
                .description("clusters the admin knows").register(registry);
        Gauge.builder("ravel_relocation_moves_left", state, s -> s.plan().moves().size())
                .description("partition moves of the current relocation not done yet").register(registry);
        FunctionCounter.builder("ravel_routing_wrong_owner", owners, OwnerLookup::refusals)
                .description("key commands a cluster's ownership fence refused (WRONG_OWNER) and that were routed again")
                .register(registry);
        FunctionCounter.builder("ravel_routing_owner_table_fetches", owners, OwnerLookup::fetches)
                .description("owner tables fetched from the admin leader after a WRONG_OWNER").register(registry);
    }

    void record(String route, int status, long nanos) {
        Meters m = meters.get(route + ' ' + status);
        if (m == null) {
            m = meters.computeIfAbsent(route + ' ' + status, k -> register(route, status));
        }
        m.requests().record(nanos, TimeUnit.NANOSECONDS);
        if (m.errors() != null) {
            m.errors().increment();
        }
    }

    /** The meters of one route and status, registered on first use and reused for every request after it. */
    private Meters register(String route, int status) {
        String code = Integer.toString(status);
        Timer requests = Timer.builder("ravel_http_requests").description("HTTP requests by route and status")
                .tags("route", route, "status", code).register(registry);
        Counter errors = status < 400 ? null : Counter.builder("ravel_http_errors")
                .description("HTTP error responses by route and status").tags("route", route, "status", code)
                .register(registry);
        return new Meters(requests, errors);
    }

    private record Meters(Timer requests, Counter errors) {
    }

    String scrape() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ClusterView c : state.clusters()) {
            rows.add(MultiGauge.Row.of(Tags.of("cluster", c.id()), leaders.leaderKnown(c.id()) ? 1 : 0));
        }
        leaderKnown.register(rows, true);
        return registry.scrape();
    }
}
