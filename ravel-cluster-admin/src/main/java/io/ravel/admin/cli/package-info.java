/** The ravel_cluster_admin command line: flags to AdminConfig, then an AdminServer until shutdown. */
package io.ravel.admin.cli;
