/** The replica's RocksDB state: one database per replica, keys laid out by partition, checkpoints for snapshots. */
package io.ravel.node.storage;
