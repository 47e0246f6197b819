package io.ravel.robustness.system;

/** Hands out a {@link Host} per daemon name; closing it removes whatever it set up. */
public interface Hosts extends AutoCloseable {

    Host host(String name);

    @Override
    void close();

    /** Every daemon on 127.0.0.1 of the test's own network stack. */
    static Hosts loopback() {
        return new Hosts() {
            @Override
            public Host host(String name) {
                return new Host(name, "127.0.0.1", java.util.List.of());
            }

            @Override
            public void close() {
            }
        };
    }
}
