package io.ravel.node.raft;

import io.ravel.node.command.Command;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
import io.ravel.node.storage.StoredValue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real RocksDB in a temp dir of its own with the applied-request table on it, opened before each test
 * and closed (and deleted) after it, and entries applied to it as the state machine applies them: each
 * one its own apply round of an {@link Applier}, stamped with a chosen leader stamp (the log's clock). No
 * ownership assignment: every partition is served. A test class registers it as a field:
 * {@code @RegisterExtension final ApplierFixture db = new ApplierFixture();}.
 */
final class ApplierFixture implements BeforeEachCallback, AfterEachCallback {

    /** The applied-request retention of a replica's default configuration. */
    static final long RETENTION_MS = 60_000;

    private final long retentionMs;
    private Path dir;
    private RocksStore store;
    private AppliedRequests requests;

    /** Request ids kept {@link #RETENTION_MS}. */
    ApplierFixture() {
        this(RETENTION_MS);
    }

    /** Request ids kept {@code retentionMs} by the log's clock. */
    ApplierFixture(long retentionMs) {
        this.retentionMs = retentionMs;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("ravel-applier-");
        store = RocksStore.open(dir.resolve("db"));
        requests = new AppliedRequests(store, retentionMs);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        store.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    RocksStore store() {
        return store;
    }

    AppliedRequests requests() {
        return requests;
    }

    /** Applies one entry stamped {@code stamp} as its own apply round, as onApply does, and writes it. */
    CommandResult apply(Command command, long stamp) throws Exception {
        try (Applier applier = new Applier(store, new MemberDirectory(), requests, new Ownership())) {
            CommandResult result = applier.apply(command, stamp, true);
            applier.flush();
            return result;
        }
    }

    /** The stored value of {@code key} in {@code partition}, or null. */
    StoredValue stored(int partition, String key) {
        return StoredValue.decode(store.get(KeyCodec.encode(partition, b(key))));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
