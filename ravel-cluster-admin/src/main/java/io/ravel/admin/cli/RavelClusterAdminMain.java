package io.ravel.admin.cli;

/** Entry point of {@code ravel_cluster_admin}. */
public final class RavelClusterAdminMain {
    public static void main(String[] args) {
        System.out.println("ravel_cluster_admin");
    }
}
