package io.ravel.admin.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminState.ClusterView;

import java.util.ArrayList;
import java.util.List;
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

    HttpMetrics(AdminState state, LeaderTracker leaders) {
        this.state = state;
        this.leaders = leaders;
        this.leaderKnown = MultiGauge.builder("ravel_cluster_leader_known")
                .description("1 when the admin knows the cluster's leader, else 0").register(registry);
        registry.gauge("ravel_clusters", state, s -> s.clusterCount());
        registry.gauge("ravel_relocation_moves_left", state, s -> s.plan().moves().size());
    }

    void record(String route, int status, long nanos) {
        String code = Integer.toString(status);
        Timer.builder("ravel_http_requests").description("HTTP requests by route and status")
                .tags("route", route, "status", code).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (status >= 400) {
            Counter.builder("ravel_http_errors").description("HTTP error responses by route and status")
                    .tags("route", route, "status", code).register(registry).increment();
        }
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
