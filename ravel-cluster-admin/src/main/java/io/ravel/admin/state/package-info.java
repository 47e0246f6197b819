/** The admin's durable state (clusters, replicas, leaders, partition owners, relocation plan) in RocksDB. */
package io.ravel.admin.state;
