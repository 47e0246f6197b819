/** The RavelClusterAdmin gRPC service: a thin adapter from protos to the admin's membership operations. */
package io.ravel.admin.rpc;
