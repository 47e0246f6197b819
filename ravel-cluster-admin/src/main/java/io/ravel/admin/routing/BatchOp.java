package io.ravel.admin.routing;

/** One operation of a client batch (POST /batch): a put (with its value as JSON text), a get or a delete. */
public record BatchOp(Kind kind, String key, byte[] jsonValue) {

    public enum Kind { PUT, GET, DELETE }

    /** What one operation ended in: {@code value} for a get, nothing for a write, or {@code error}. */
    public record Result(byte[] value, io.ravel.admin.AdminException error) {
    }
}
