/** Code both Ravel daemons use: host:port addresses, user paths, and long-lived gRPC channels. */
package io.ravel.common;
