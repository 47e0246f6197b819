package io.ravel.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tail of every daemon's log when a test fails: the daemons' side of the story. */
final class DumpLogsOnFailure implements TestWatcher {

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        context.getTestInstance()
                .filter(HasProcessCluster.class::isInstance)
                .map(t -> ((HasProcessCluster) t).processCluster())
                .ifPresent(c -> {
                    if (c != null) {
                        c.dumpLogs();
                    }
                });
    }
}
