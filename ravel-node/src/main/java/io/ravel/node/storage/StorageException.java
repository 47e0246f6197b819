package io.ravel.node.storage;

/** A RocksDB or file-system failure of the replica's state; the replica cannot go on from it safely. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
