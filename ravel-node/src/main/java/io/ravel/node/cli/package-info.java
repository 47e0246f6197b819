/** The {@code ravel_node} command line: parses and checks flags, builds the config, hands over; nothing else. */
package io.ravel.node.cli;
