package io.ravel.node.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ravel.common.HostPort;
import io.ravel.node.config.ConfigException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code GET /metrics} of a replica in Prometheus text, bound only to its {@code --metrics} address. */
public final class MetricsServer implements AutoCloseable {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code address}; a {@link ConfigException} naming --metrics when it cannot. */
    public static MetricsServer start(String address, ReplicaMetrics metrics) {
        HostPort hp = HostPort.parse(address, "--metrics");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(hp.ipHost(), hp.port()), 0);
        } catch (IOException e) {
            throw new ConfigException("--metrics: cannot listen on " + address + ": " + e.getMessage());
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ravel-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, metrics));
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void handle(HttpExchange exchange, ReplicaMetrics metrics) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics")) {
                send(exchange, 404, "not found: GET /metrics serves the metrics\n", "text/plain; charset=utf-8");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "method not allowed: use GET\n", "text/plain; charset=utf-8");
            } else {
                send(exchange, 200, metrics.scrape(), CONTENT_TYPE);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The port it listens on (the one given, or the one picked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
