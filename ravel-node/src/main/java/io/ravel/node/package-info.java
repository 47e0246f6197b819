/** A Ravel replica: the core ({@code Replica}) that the {@code ravel_node} command line and the tests build. */
package io.ravel.node;
