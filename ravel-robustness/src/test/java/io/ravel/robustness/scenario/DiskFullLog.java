package io.ravel.robustness.scenario;

import java.util.List;

/** What a replica that stopped on a full disk must have said: one clear line, no stack trace of ours. */
final class DiskFullLog {

    private DiskFullLog() {
    }

    static void assertOneClearLine(String log, String name) {
        List<String> lines = log.lines().filter(l -> l.contains("ravel_node: stopping") ).toList();
        if (lines.size() != 1 || !lines.get(0).toLowerCase().contains("no space")) {
            throw new AssertionError(name + " should say once that it stops because its disk is full; its log:\n"
                    + tail(log));
        }
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
