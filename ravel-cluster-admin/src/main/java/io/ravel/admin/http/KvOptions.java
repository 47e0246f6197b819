package io.ravel.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ravel.admin.AdminException;

/**
 * The optional fields of a key request beyond the seed's: {@code "version": true} (/get answers the
 * key's version), {@code "ifVersion": n} (/put, /delete: only if the key is at version n, 0 = absent)
 * and {@code "ttl": seconds} (/put: the key expires). A field that is absent leaves the request exactly
 * as the seed's; one of the wrong type is a BAD_REQUEST.
 */
record KvOptions(boolean version, long ifVersion, long ttlSeconds) {

    /** No condition. */
    static final long UNCONDITIONAL = -1;
    /** The longest ttl accepted: 100 years. */
    static final long MAX_TTL_SECONDS = 100L * 366 * 24 * 3600;
    static final KvOptions NONE = new KvOptions(false, UNCONDITIONAL, 0);

    boolean conditional() {
        return ifVersion != UNCONDITIONAL;
    }

    static KvOptions parse(JsonNode root) {
        JsonNode version = root.get("version");
        JsonNode ifVersion = root.get("ifVersion");
        JsonNode ttl = root.get("ttl");
        if (version == null && ifVersion == null && ttl == null) {
            return NONE;
        }
        if (version != null && !version.isBoolean()) {
            throw bad("\"version\" must be true or false");
        }
        long condition = UNCONDITIONAL;
        if (ifVersion != null) {
            if (!ifVersion.isIntegralNumber() || !ifVersion.canConvertToLong() || ifVersion.longValue() < 0) {
                throw bad("\"ifVersion\" must be a whole number, 0 or more (0: only if the key does not exist)");
            }
            condition = ifVersion.longValue();
        }
        long seconds = 0;
        if (ttl != null) {
            if (!ttl.isIntegralNumber() || !ttl.canConvertToLong() || ttl.longValue() < 1
                    || ttl.longValue() > MAX_TTL_SECONDS) {
                throw bad("\"ttl\" must be a whole number of seconds from 1 to " + MAX_TTL_SECONDS);
            }
            seconds = ttl.longValue();
        }
        return new KvOptions(version != null && version.booleanValue(), condition, seconds);
    }

    private static AdminException bad(String message) {
        return new AdminException(AdminException.Reason.BAD_REQUEST, message);
    }
}
