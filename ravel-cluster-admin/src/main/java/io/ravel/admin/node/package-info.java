/** Client of the replicas' RavelNode service over one long-lived gRPC channel per replica. */
package io.ravel.admin.node;
