package io.flowguard.bronze.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}) go, for the profiles in docs/benchmarks.md
 * (JDK 17's {@code jfr} tool has no {@code view hot-methods}). Prints three tables: the top methods by self samples
 * (top frame), the top methods by inclusive samples (anywhere on the stack, counted once per sample), and the share of
 * samples per thread-name prefix; then the time threads spent blocked in socket reads and writes longer than the
 * recording's threshold (10 ms with {@code settings=profile}), e.g. a writer waiting for PostgreSQL.
 *
 * <p>Arguments: {@code recording.jfr [top (default 15)]}.
 */
public final class JfrHotMethods {
    private JfrHotMethods() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Double> blocked = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.SocketRead") || type.equals("jdk.SocketWrite")) {
                String thread = e.getThread() == null ? "?" : e.getThread().getJavaName();
                blocked.merge(
                        type + " " + (thread == null ? "?" : thread),
                        e.getDuration().toNanos() / 1e9,
                        Double::sum);
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> once = new HashSet<>();
            for (RecordedFrame f : frames) {
                if (once.add(name(f))) {
                    inclusive.merge(name(f), 1, Integer::sum);
                }
            }
            String thread = e.getThread("sampledThread") == null
                    ? "?"
                    : e.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
        }
        System.out.printf(Locale.ROOT, "%s: %d execution samples%n", file.getFileName(), samples);
        print("self", self, samples, top);
        print("inclusive", inclusive, samples, top);
        print("threads", threads, samples, top);
        System.out.println("-- socket I/O over the recording's threshold (seconds, by thread)");
        blocked.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> System.out.printf(Locale.ROOT, "%8.2f s  %s%n", en.getValue(), en.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("-- " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> System.out.printf(
                        Locale.ROOT,
                        "%5.1f%%  %6d  %s%n",
                        100.0 * en.getValue() / samples,
                        en.getValue(),
                        en.getKey()));
    }
}
