package io.ravel.node.rpc;

import io.ravel.node.command.Member;
import io.ravel.node.storage.KeyCodec;
import io.ravel.proto.Command;
import io.ravel.proto.KeyValue;
import io.ravel.proto.Node;

/** What is wrong with a request before anything reaches Raft: each check returns a message, or null when it is fine. */
final class RequestChecks {

    private static final int MAX_ID_BYTES = io.ravel.node.command.Command.MAX_ID_BYTES;
    /** The longest expiry a write may ask for (about 100 years), so a deadline never overflows. */
    static final long MAX_TTL_MS = 100L * 366 * 24 * 3600 * 1000;

    private RequestChecks() {
    }

    static String partition(long partition) {
        return KeyCodec.validPartition(partition) ? null
                : "partition " + partition + " is outside 0.." + KeyCodec.MAX_PARTITION;
    }

    static String command(Command request) {
        String problem = partition(request.getPartition());
        if (problem != null) {
            return problem;
        }
        if (request.getKey().isEmpty()) {
            return "key must not be empty";
        }
        if (request.getRequestId().size() > MAX_ID_BYTES) {
            return requestIdTooLong();
        }
        if (request.getTtlMs() > MAX_TTL_MS || (request.getTtlMs() != 0 && request.getOperation() != io.ravel.proto.Operation.SET)) {
            return "ttl_ms is for SET only, at most " + MAX_TTL_MS;
        }
        if (request.hasIfVersion() && request.getIfVersion() < 0) {
            return "if_version must not be negative";
        }
        return switch (request.getOperation()) {
            case GET, DELETE, GET_AND_DELETE -> null;
            case SET -> request.getValue().isEmpty() ? "SET needs a value" : null;
            default -> "unknown operation " + request.getOperationValue();
        };
    }

    static String entry(KeyValue kv) {
        if (kv.getRequestId().size() > MAX_ID_BYTES) {
            return requestIdTooLong();
        }
        return KeyCodec.validPartition(kv.getPartition()) && !kv.getKey().isEmpty() ? null
                : "every entry needs a partition in 0.." + KeyCodec.MAX_PARTITION + " and a key";
    }

    private static String requestIdTooLong() {
        return "request_id is longer than " + MAX_ID_BYTES + " bytes";
    }

    static String node(Node node) {
        if (node.getId().isBlank()) {
            return "node id is required";
        }
        if (invalidAddress(node.getGrpcAddress())) {
            return "grpc_address '" + node.getGrpcAddress() + "' is not host:port";
        }
        return raftAddress(node.getRaftAddress());
    }

    static String raftAddress(String address) {
        return invalidAddress(address) ? "raft_address '" + address + "' is not host:port" : null;
    }

    private static boolean invalidAddress(String address) {
        try {
            Member.endpointOf(address);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
