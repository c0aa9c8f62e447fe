// Why: the jar is compiled for Java 17 and must run as well on Java 25, where loading Netty's native transport
// needs native access (JEP 472): without it every start printed four JVM warnings. A start there must be clean,
// on the native transport, and serve. Skipped where no Java 25 is installed (TOLLGATE_TEST_JAVA25_HOME, default
// the Temurin 25 of the development machine and CI).
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.support.JarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LaterJavaIT {

    private static Path java25() throws Exception {
        String home = System.getenv().getOrDefault("TOLLGATE_TEST_JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");
        Path java = Path.of(home, "bin", "java");
        Assumptions.assumeTrue(Files.isExecutable(java), "no Java at " + java + ": skipping");
        Process version = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes());
        version.waitFor();
        assertThat(text).as("TOLLGATE_TEST_JAVA25_HOME must name a Java 25").contains("version \"25");
        return java;
    }

    @Test
    void startsCleanlyOnJava25OnTheNativeTransportAndServes() throws Exception {
        Path java = java25();
        JarProcess.Started gateway = JarProcess.start(java, Files.createTempDirectory("tollgate-java25"));
        try {
            assertThat(gateway.login("not-it-at-all")).isEqualTo(401);
            Path maps = Path.of("/proc", Long.toString(gateway.process().pid()), "maps");
            if (Files.exists(maps)) { // Linux: the epoll transport, not the NIO fallback
                assertThat(Files.readString(maps)).as("Netty's epoll library is loaded").contains("netty_transport_native_epoll");
            }
        } finally {
            gateway.stop();
        }
        synchronized (gateway.lines()) {
            assertThat(gateway.lines()).anyMatch(l -> l.contains("created super-admin 'admin'"));
            assertThat(gateway.lines()).as("the output of the whole run, its shutdown included, was read")
                    .anyMatch(l -> l.contains("request log: flushed"))
                    .noneMatch(l -> l.startsWith("WARNING:"));
        }
    }
}
