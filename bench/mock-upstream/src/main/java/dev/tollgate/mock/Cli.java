// Command-line parsing for `java -jar mock-upstream.jar`, kept apart from the server lifecycle.
package dev.tollgate.mock;

final class Cli {
    static final String USAGE = "usage: java -jar mock-upstream.jar [--port 11434] [--host 127.0.0.1]"
            + " [--tokens 20] [--delay-ms 0] [--threads N]";

    private Cli() {}

    /** The parsed config, or null when help was requested. */
    static MockConfig parse(String[] args) {
        MockConfig cfg = new MockConfig().port(11434);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) return null;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + arg);
                value = args[++i];
            }
            switch (arg) {
                case "--port" -> cfg.port(parseInt(arg, value));
                case "--host" -> cfg.host(value);
                case "--tokens" -> cfg.tokens(parseInt(arg, value));
                case "--delay-ms" -> cfg.delayMs(parseInt(arg, value));
                case "--threads" -> cfg.threads(parseInt(arg, value));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return cfg;
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects an integer, got '" + value + "'");
        }
    }
}
