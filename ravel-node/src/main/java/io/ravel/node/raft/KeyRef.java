package io.ravel.node.raft;

import java.util.Objects;

/** One user key of one partition, as a read names it. */
public record KeyRef(int partition, byte[] key) {

    public KeyRef {
        Objects.requireNonNull(key, "key");
    }
}
