/** The commands of a replica's Raft log and their binary encoding. */
package io.ravel.node.command;
