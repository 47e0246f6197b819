package io.ravel.robustness.history;

/**
 * One client operation as the client saw it. Times are {@link System#nanoTime()} of the recording JVM;
 * an operation whose outcome is {@link Outcome#UNKNOWN} has no completion time that bounds its effect.
 *
 * @param value for a put the JSON text written; for a get that returned 200 the JSON text read;
 *              otherwise null
 */
public record Op(int client, Kind kind, String key, String value, long invoke, long complete, Outcome outcome) {

    public enum Kind { PUT, GET, DELETE }

    public enum Outcome {
        /** 200: it took effect (put, delete) or read {@code value} (get). */
        OK,
        /** 404: a get or delete that found no key; the key was absent at some point in its interval. */
        NOT_FOUND,
        /** It certainly did not take effect (e.g. the connection was refused before anything was sent). */
        FAILED,
        /** It may or may not have taken effect, at any time after its invocation. */
        UNKNOWN
    }

    public static Op put(int client, String key, String value, long invoke, long complete, Outcome outcome) {
        return new Op(client, Kind.PUT, key, value, invoke, complete, outcome);
    }

    public static Op get(int client, String key, String read, long invoke, long complete, Outcome outcome) {
        return new Op(client, Kind.GET, key, read, invoke, complete, outcome);
    }

    public static Op delete(int client, String key, long invoke, long complete, Outcome outcome) {
        return new Op(client, Kind.DELETE, key, null, invoke, complete, outcome);
    }

    public boolean succeeded() {
        return outcome == Outcome.OK || outcome == Outcome.NOT_FOUND;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case PUT -> "put(" + value + ")";
            case GET -> "get -> " + (outcome == Outcome.OK ? value : outcome);
            case DELETE -> "delete";
        };
        return "c" + client + " " + key + " " + what + " [" + outcome + "] " + invoke + ".." + complete;
    }
}
