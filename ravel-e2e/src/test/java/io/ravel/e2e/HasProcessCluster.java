package io.ravel.e2e;

/** A test class that runs a {@link ProcessCluster}, so its logs can be shown when a test fails. */
interface HasProcessCluster {
    ProcessCluster processCluster();
}
