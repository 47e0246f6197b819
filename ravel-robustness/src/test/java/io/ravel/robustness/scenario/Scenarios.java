package io.ravel.robustness.scenario;

import io.ravel.robustness.run.Fault;
import io.ravel.robustness.run.RunSettings;
import io.ravel.robustness.run.RunStats;
import io.ravel.robustness.run.ScenarioRun;
import io.ravel.robustness.system.RavelSystem;

import java.time.Duration;

/** Runs a fault as a scenario on a system of two clusters of three, printing the logs if it fails. */
final class Scenarios {

    static final Duration SETTLE = Duration.ofSeconds(90);

    private Scenarios() {
    }

    static RunStats run(RavelSystem system, String name, Fault fault) {
        return run(system, name, fault, 2);
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
