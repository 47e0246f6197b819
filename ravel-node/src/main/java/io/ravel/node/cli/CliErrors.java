package io.ravel.node.cli;

import io.ravel.node.admin.AdminUnavailableException;
import io.ravel.node.config.ConfigException;

/** Turns any failure of a command into the one line the user sees. */
final class CliErrors {

    private CliErrors() {
    }

    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof ConfigException) && !(t instanceof AdminUnavailableException)
                && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        } else if (!(t instanceof ConfigException) && !(t instanceof AdminUnavailableException)
                && !(t instanceof IllegalStateException)) {
            message = t.getClass().getSimpleName() + ": " + message;
        }
        return message.lines().findFirst().orElse(message);
    }
}
