package io.ravel.admin.node;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A batch of copied entries as the bytes it travels in. A partition scan's {@code KeyValueBatch} and a
 * {@code BatchWrite} have the same wire format (field 1: {@code repeated KeyValue entries}), so the
 * relocation copy passes each scanned batch on to the target as it came, without building its entries
 * as objects and serialising them again. Only the entries are counted, by skipping over them.
 */
public record EncodedBatch(byte[] bytes, int entries) {

    private static final int ENTRIES_FIELD = 1;

    /** Passes batches through gRPC as their bytes (the target parses and checks them as a BatchWrite). */
    static final MethodDescriptor.Marshaller<EncodedBatch> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(EncodedBatch batch) {
            return new ByteArrayInputStream(batch.bytes);
        }

        @Override
        public EncodedBatch parse(InputStream stream) {
            try {
                return of(stream.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** The batch encoded in {@code bytes}, its entries counted; fails on bytes that are not a message. */
    public static EncodedBatch of(byte[] bytes) {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int entries = 0;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == ENTRIES_FIELD
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    entries++;
                }
                in.skipField(tag);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("a batch of entries that is not a protobuf message", e);
        }
        return new EncodedBatch(bytes, entries);
    }
}
