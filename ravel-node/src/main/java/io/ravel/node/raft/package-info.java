/** The replica's SOFAJRaft node: the RocksDB state machine, commands applied through the log, linearizable reads. */
package io.ravel.node.raft;
