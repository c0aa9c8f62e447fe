// Why: start-up must stop with one clear line naming what is wrong, never a stack trace.
package dev.tollgate.config;

/** A problem that stops start-up; its message is printed as the single line the operator sees. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message, null, false, false);
    }

    public static StartupException badVariable(String variable, String problem) {
        return new StartupException(variable + ": " + problem);
    }
}
