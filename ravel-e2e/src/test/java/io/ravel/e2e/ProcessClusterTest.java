package io.ravel.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class whose ordered steps live through one system of real processes: the subclass starts it
 * in its {@code @BeforeAll}, the steps build on each other, and every process is killed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DumpLogsOnFailure.class)
abstract class ProcessClusterTest implements HasProcessCluster {

    protected ProcessCluster system;
    protected AdminHttp http;

    /** Creates the system (no process yet) under {@code target/e2e/<name>-*}. */
    protected void newSystem(String name) {
        system = new ProcessCluster(name);
    }

    /** Starts the admin; {@code jvmArgs} may set test-only system properties. */
    protected void startAdmin(String jvmArgs) {
        system.startAdmin(jvmArgs);
        http = system.http();
    }

    @Override
    public ProcessCluster processCluster() {
        return system;
    }

    @AfterAll
    void stopEverything() {
        if (system != null) {
            system.close();
        }
    }
}
