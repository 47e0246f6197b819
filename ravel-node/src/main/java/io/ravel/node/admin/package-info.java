/** The replica's side of the cluster admin: registration, joining through the leader, leadership reports. */
package io.ravel.node.admin;
