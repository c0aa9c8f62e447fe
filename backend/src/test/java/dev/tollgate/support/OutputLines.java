// Why: tests that start the jar keep its output, line by line, on a thread of their own. When the process is stopped
// its output stream is closed under that thread: that is the end of the output, not an error to print in the log.
// (Process.destroy() closes it at once, before the process has printed how it stopped: JarProcess.terminate sends the
// signal through the process handle instead, and joins the returned thread.)
package dev.tollgate.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

final class OutputLines {
    private OutputLines() {
    }

    /** Appends each line of {@code process}'s output to {@code lines} (notifying waiters on it) until it ends. */
    static Thread collect(Process process, List<String> lines, String threadName) {
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process was stopped and its stream closed: its output has ended
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
