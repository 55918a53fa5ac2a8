package io.flowguard.bronze.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started with the current test class path, its stdout and stderr going to one log file.
 *
 * <p>{@link #kill()} sends SIGKILL ({@link Process#destroyForcibly()} on Linux), {@link #terminate()} SIGTERM
 * ({@link Process#destroy()}), which runs the child's shutdown hooks. Not thread-safe; used by the test thread.
 */
final class ChildJvm {
    private final String label;
    private final Path logFile;
    private final Process process;

    private ChildJvm(String label, Path logFile, Process process) {
        this.label = label;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts {@code java -cp <test class path> <mainClass> args...}.
     *
     * @param logFile    where stdout and stderr go; replaced if it exists (a stale file would fake readiness)
     * @param jvmOptions extra JVM options, e.g. {@code -Dkey=value}
     */
    static ChildJvm start(String label, Path logFile, Class<?> mainClass, List<String> jvmOptions, List<String> args) {
        String javaBin =
                Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(
                    logFile,
                    "==== " + label + " started " + java.time.Instant.now() + " ====\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.StandardOpenOption.WRITE);
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return new ChildJvm(label, logFile, p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + label, e);
        }
    }

    String label() {
        return label;
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** SIGTERM (runs the child's shutdown hooks), then waits up to {@code seconds}; SIGKILL if still alive. */
    int terminate(long seconds) {
        process.destroy();
        if (!waitFor(seconds)) {
            process.destroyForcibly();
            waitFor(30);
        }
        return process.exitValue();
    }

    private boolean waitFor(long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The whole log file. */
    String log() {
        try {
            return Files.readString(logFile, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of {@code file}, or a note when it cannot be read. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return label + "(pid " + process.pid() + (process.isAlive() ? ", alive" : ", exited") + ')';
    }
}
