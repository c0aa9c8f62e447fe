// Why: log lines and start-up errors quote the exception that caused them, and a driver's message can run to many
// lines (a stack of causes, a server hint). One place decides how much of it is shown: its first line.
package dev.tollgate.config;

/** The text of an exception as one line. */
public final class ErrorText {
    private ErrorText() {
    }

    /** The first line of {@code e}'s message, or its class's simple name when it has none. */
    public static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).trim();
    }
}
