/** The RavelNode gRPC service of a replica: requests in, Raft futures out, no decisions of its own. */
package io.ravel.node.rpc;
