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
}
