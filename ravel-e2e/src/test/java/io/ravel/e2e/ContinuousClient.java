package io.ravel.e2e;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that keeps writing increasing versions to a set of keys and reading them back while the
 * system changes under it. It records every violation: a read older than a version already
 * acknowledged, or newer than any version attempted, and any answer but 200 or 503. Only 503 (a
 * partition held during a move, a leader change) is an allowed failure; it makes a written key's value
 * uncertain between the last acknowledged and the attempted version, and reads are checked against
 * that range. It counts its successes, so a test can require that the system kept serving.
 */
final class ContinuousClient implements AutoCloseable {

    private final AdminHttp http;
    private final int keys;
    private final String prefix;
    private final long[] acknowledged;
    private final long[] attempted;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> violations = new ArrayList<>();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final Thread thread;

    ContinuousClient(AdminHttp http, String prefix, int keys) {
        this.http = http;
        this.prefix = prefix;
        this.keys = keys;
        this.acknowledged = new long[keys];
        this.attempted = new long[keys];
        this.thread = new Thread(this::run, "continuous-client");
        this.thread.setDaemon(true);
    }

    ContinuousClient start() {
        thread.start();
        return this;
    }

    private void run() {
        long version = 0;
        while (running.get()) {
            version++;
            int k = (int) (version % keys);
            String key = prefix + k;
            attempted[k] = version;
            try {
                AdminHttp.Reply w = http.put(key, JsonNodeFactory.instance.numberNode(version));
                if (w.ok()) {
                    acknowledged[k] = version;
                    acks.incrementAndGet();
                } else if (w.status() == 503) {
                    unavailable.incrementAndGet();
                } else {
                    record("write of " + key + " answered " + w);
                }
                int r = (int) ((version * 7) % keys);
                if (acknowledged[r] == 0) {
                    continue;
                }
                AdminHttp.Reply read = http.read(prefix + r);
                if (read.ok()) {
                    reads.incrementAndGet();
                    long seen = read.body().get("val").asLong();
                    if (seen < acknowledged[r] || seen > attempted[r]) {
                        record("read of " + prefix + r + " returned " + seen + ", acknowledged "
                                + acknowledged[r] + ", attempted " + attempted[r]);
                    }
                } else if (read.status() == 503) {
                    unavailable.incrementAndGet();
                } else {
                    record("read of " + prefix + r + " answered " + read);
                }
            } catch (RuntimeException e) {
                // the admin runs throughout: no answer at all is not an allowed failure
                record("request failed without an answer: " + e);
            }
        }
    }

    private synchronized void record(String violation) {
        violations.add(violation);
    }

    synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    long acknowledgedWrites() {
        return acks.get();
    }

    long successfulReads() {
        return reads.get();
    }

    /** Requests answered 503, the one allowed failure. */
    long unavailableAnswers() {
        return unavailable.get();
    }

    /** A one-line account for assertion messages. */
    String summary() {
        return acks.get() + " writes acknowledged, " + reads.get() + " reads served, " + unavailable.get()
                + " answered 503, " + violations().size() + " violations";
    }

    /** The latest acknowledged version of each key that has one: what must read back at the end. */
    Map<String, Long> latestAcknowledged() {
        Map<String, Long> latest = new ConcurrentHashMap<>();
        for (int k = 0; k < keys; k++) {
            if (acknowledged[k] > 0) {
                latest.put(prefix + k, acknowledged[k]);
            }
        }
        return latest;
    }

    /** Stops the client; the final values are then the attempted ones (equal to acknowledged when the last write succeeded). */
    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long attemptedVersion(String key) {
        return attempted[Integer.parseInt(key.substring(prefix.length()))];
    }
}
