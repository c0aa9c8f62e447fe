// Why: listeners in tests need distinct, known ports. The kernel may hand the same ephemeral port to two
// back-to-back probes once the first socket is closed, so this remembers what it gave out and never repeats one.
package dev.tollgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

public final class FreePorts {
    private static final Set<Integer> ISSUED = new HashSet<>();

    private FreePorts() {
    }

    public static synchronized int next() {
        while (true) {
            int port = probe();
            if (ISSUED.add(port)) {
                return port;
            }
        }
    }

    private static int probe() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
