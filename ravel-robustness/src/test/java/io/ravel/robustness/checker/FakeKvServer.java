package io.ravel.robustness.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;

/**
 * A stand-in for the admin's /put, /get and /delete on an in-memory map. With {@code staleReads} it
 * acts as a store that reads from a lagging replica: a get sometimes answers a value the key held
 * a few writes ago (or its absence before the first write).
 */
final class FakeKvServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final boolean staleReads;
    private final Map<String, List<String>> versions = new HashMap<>();
    private final Random random = new Random(42);

    static {
        // Without it the JDK server's separate header and body writes meet delayed ACKs: 40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    FakeKvServer(boolean staleReads) throws IOException {
        this.staleReads = staleReads;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/put", ex -> handle(ex, "put"));
        server.createContext("/get", ex -> handle(ex, "get"));
        server.createContext("/delete", ex -> handle(ex, "delete"));
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex, String route) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        String key = body.get("key").asText();
        int status;
        String answer;
        synchronized (this) {
            List<String> history = versions.computeIfAbsent(key, k -> new ArrayList<>());
            String current = history.isEmpty() ? null : history.get(history.size() - 1);
            switch (route) {
                case "put" -> {
                    history.add(body.get("val").toString());
                    status = 200;
                    answer = "{\"msg\":\"ok\"}";
                }
                case "delete" -> {
                    status = current == null ? 404 : 200;
                    history.add(null);
                    answer = status == 200 ? "{\"msg\":\"ok\"}" : "{\"error\":\"key not found\"}";
                }
                default -> {
                    String read = current;
                    if (staleReads && history.size() > 1 && random.nextInt(4) == 0) {
                        read = history.get(Math.max(0, history.size() - 2 - random.nextInt(3)));
                    }
                    status = read == null ? 404 : 200;
                    answer = read == null ? "{\"error\":\"key not found\"}"
                            : "{\"key\":" + JSON.writeValueAsString(key) + ",\"val\":" + read + "}";
                }
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
