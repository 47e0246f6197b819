package io.ravel.robustness.scenario;

import io.ravel.robustness.client.AdminChoice;
import io.ravel.robustness.run.Fault;
import io.ravel.robustness.run.RunSettings;
import io.ravel.robustness.run.RunStats;
import io.ravel.robustness.run.ScenarioRun;
import io.ravel.robustness.system.RavelSystem;

import java.time.Duration;
import java.util.List;

/** Runs a fault as a scenario on a system of two clusters of three, printing the logs if it fails. */
final class Scenarios {

    static final Duration SETTLE = Duration.ofSeconds(90);
    /** Longer than any admin pause of a scenario (a relocation and the hold). */
    static final Duration GROUP_REQUEST_TIMEOUT = Duration.ofSeconds(180);

    private Scenarios() {
    }

    static RunStats run(RavelSystem system, String name, Fault fault) {
        return run(system, name, fault, 2);
    }

    /** Two client threads per admin of a group: a paused admin holds two requests, and the other two serve four clients. */
    static final int CLIENTS_PER_ADMIN = 2;

    /**
     * On a system with an admin group: two client threads per admin; each starts on admin {@code id % 3} and moves to the
     * next on any request without a definite answer; a request waits up to {@link #GROUP_REQUEST_TIMEOUT}
     * for its answer, so one sent to a paused admin is answered once it runs again; the final reads go
     * round the admins.
     */
    static RunStats runOnGroup(RavelSystem system, String name, Fault fault, int clusters) {
        List<String> admins = system.adminHttps();
        RunSettings settings = RunSettings.fromSystemProperties().withClients(CLIENTS_PER_ADMIN * admins.size());
        ScenarioRun run = new ScenarioRun(name, settings, AdminChoice.roundRobin(admins),
                id -> AdminChoice.sticky(admins, id), GROUP_REQUEST_TIMEOUT,
                () -> system.awaitGroupSettled(clusters, 3, SETTLE, List.of()));
        try {
            return run.run(fault);
        } catch (AssertionError | RuntimeException e) {
            System.err.println(system.logs());
            throw e;
        }
    }

    static RunStats run(RavelSystem system, String name, Fault fault, int clusters) {
        RunSettings settings = RunSettings.fromSystemProperties();
        ScenarioRun run = new ScenarioRun(name, settings, system::adminHttp,
                () -> system.awaitSettled(clusters, 3, SETTLE));
        try {
            return run.run(fault);
        } catch (AssertionError | RuntimeException e) {
            System.err.println(system.logs());
            throw e;
        }
    }
}
