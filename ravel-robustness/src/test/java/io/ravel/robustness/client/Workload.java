package io.ravel.robustness.client;

import io.ravel.robustness.history.History;
import io.ravel.robustness.history.Op;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Concurrent clients, each a thread with its own seeded random: a mix of puts (45%), gets (40%) and
 * deletes (15%) over a small key space, so keys see contention. Every value written is unique (client
 * and sequence number) and cycles through the JSON types. Every operation goes into the history.
 */
public final class Workload implements AutoCloseable {

    private final History history;
    private final List<String> keys;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http = KvClient.newHttpClient();
    private final Duration timeout;

    public Workload(History history, List<String> keys) {
        this(history, keys, KvClient.REQUEST_TIMEOUT);
    }

    /** @param timeout each request's client-side timeout (see {@link KvClient}) */
    public Workload(History history, List<String> keys, Duration timeout) {
        this.history = history;
        this.keys = keys;
        this.timeout = timeout;
    }

    /** Starts {@code clients} threads, all on {@code admin}; client ids start at {@code firstClient}. */
    public Workload start(int clients, int firstClient, long seed, Supplier<String> admin) {
        return start(clients, firstClient, seed, id -> admin::get);
    }

    /** Starts {@code clients} threads, each on the admins its own {@link AdminChoice} picks. */
    public Workload start(int clients, int firstClient, long seed, IntFunction<AdminChoice> admins) {
        for (int i = 0; i < clients; i++) {
            int id = firstClient + i;
            AdminChoice admin = admins.apply(id);
            KvClient client = new KvClient(http, admin, id, timeout);
            Random random = new Random(seed * 1_000_003L + id);
            Thread t = new Thread(() -> loop(client, admin, id, random), "client-" + id);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void loop(KvClient client, AdminChoice admin, int id, Random random) {
        long seq = 0;
        while (running.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            Op op;
            if (dice < 45) {
                op = client.put(key, value(id, seq++));
            } else if (dice < 85) {
                op = client.get(key);
            } else {
                op = client.delete(key);
            }
            history.add(op);
            admin.ended(op);
            if (op.outcome() == Op.Outcome.FAILED) {
                pause(50); // nothing listens: do not spin
            }
        }
    }

    static String value(int client, long seq) {
        return switch ((int) (seq % 4)) {
            case 0 -> "{\"c\":" + client + ",\"n\":" + seq + "}";
            case 1 -> "\"c" + client + "-" + seq + "\"";
            case 2 -> String.valueOf(client * 1_000_000_000L + seq);
            default -> "[" + client + "," + seq + ",true,null]";
        };
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the clients and waits for each one's operation in flight to end. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(Math.max(30_000, timeout.toMillis() + 15_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
