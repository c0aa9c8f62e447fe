// Why: the jar-level tests start the built jar the way an operator does, with a clean environment (no
// storage or Tollgate variables inherited from CI) and their own data directory and ports.
package dev.tollgate.support;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

public final class JarProcess {
    private JarProcess() {
    }

    /** A process builder for {@code java -jar target/tollgate.jar} with only the given Tollgate variables set. */
    public static ProcessBuilder builder(Path dataDir, int port, int adminPort, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar",
                new File("target/tollgate.jar").getAbsolutePath());
        pb.environment().keySet().removeIf(k -> k.startsWith("TOLLGATE_") || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        pb.environment().put("TOLLGATE_DATA_DIR", dataDir.toString());
        pb.environment().put("TOLLGATE_PORT", Integer.toString(port));
        pb.environment().put("TOLLGATE_ADMIN_PORT", Integer.toString(adminPort));
        pb.environment().putAll(env);
        return pb;
    }
}
