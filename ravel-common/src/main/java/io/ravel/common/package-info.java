/**
 * Code both Ravel daemons use: addresses, user paths, long-lived gRPC channels and their limits, the
 * partitioner, start-up probes and the settings reader.
 */
package io.ravel.common;
