package io.ravel.common;

/** Message size limits shared by every gRPC server and channel of Ravel. */
public final class GrpcLimits {

    /**
     * Largest gRPC message either side accepts (gRPC's default is 4 MiB). A relocation batch or a
     * coalesced write batch carries many values, so the limit leaves room for them.
     */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    /**
     * Byte budget of one streamed partition-scan batch (and so of the WriteBatch that copies it):
     * a quarter of {@link #MAX_MESSAGE_BYTES}, so that a batch closed just before its budget plus
     * one more large value, and the framing of every entry, still fit in one message.
     */
    public static final int SCAN_BATCH_BYTES = MAX_MESSAGE_BYTES / 4;

    /**
     * Largest value a client request may carry: half of {@link #MAX_MESSAGE_BYTES}, so that a single
     * value always fits in one gRPC message and in one scan batch on its own.
     */
    public static final int MAX_VALUE_BYTES = MAX_MESSAGE_BYTES / 2;

    private GrpcLimits() {
    }

    /** How often a client channel pings a connection with calls in flight (long calls: a kill's relocation). */
    public static final long KEEPALIVE_SECONDS = 30;

    /**
     * The shortest ping interval a server accepts. It must be below {@link #KEEPALIVE_SECONDS}: gRPC's
     * default (5 minutes) answers a client pinging every 30 s during a long call with GOAWAY
     * {@code too_many_pings}, which fails the call.
     */
    public static final long PERMIT_KEEPALIVE_SECONDS = 10;
}
