package io.ravel.admin.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.ravel.proto.BatchWrite;
import io.ravel.proto.KeyValue;
import io.ravel.proto.KeyValueBatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EncodedBatchTest {

    private static KeyValue entry(String key) {
        return KeyValue.newBuilder().setPartition(5).setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8("\"" + key + "\"")).setVersion(2).build();
    }

    @Test
    void aScannedBatchIsReadAsTheBatchWriteOfTheSameEntries() throws Exception {
        KeyValueBatch scanned = KeyValueBatch.newBuilder().addEntries(entry("a")).addEntries(entry("b"))
                .addEntries(entry("c")).build();
        EncodedBatch encoded = EncodedBatch.of(scanned.toByteArray());
        assertEquals(3, encoded.entries());
        assertEquals(BatchWrite.newBuilder().addAllEntries(scanned.getEntriesList()).build(),
                BatchWrite.parseFrom(EncodedBatch.MARSHALLER.stream(encoded)));
    }

    @Test
    void onlyEntriesAreCountedAndAnEmptyBatchHasNone() {
        assertEquals(0, EncodedBatch.of(new byte[0]).entries());
        // a field a newer replica might add to the batch is skipped, not counted
        KeyValueBatch withUnknown = KeyValueBatch.newBuilder().addEntries(entry("a"))
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(2, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("later")).build()).build()).build();
        assertEquals(1, EncodedBatch.of(withUnknown.toByteArray()).entries());
    }

    @Test
    void bytesThatAreNotAMessageAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EncodedBatch.of(new byte[] {0x0a, 0x7f, 0x01}));
    }
}
