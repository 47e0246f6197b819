package io.ravel.node.cli;

/** Entry point of {@code ravel_node}. */
public final class RavelNodeMain {
    public static void main(String[] args) {
        System.out.println("ravel_node");
    }
}
