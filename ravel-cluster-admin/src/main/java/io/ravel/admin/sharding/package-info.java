/** Maps keys to partitions and partitions to clusters with consistent hashing with bounded loads. */
package io.ravel.admin.sharding;
