/** Routes client key operations to the leader of the cluster that owns the key's partition. */
package io.ravel.admin.routing;
