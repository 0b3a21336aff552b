// bench/LatencyProbe.java - change latency of a folder-sync tool, measured from the outside: write a small
// random file into SRC, wait until DST has the file with its full, correct content, record the time.
// Single-file program (JDK >= 25): java bench/LatencyProbe.java NAME SRC DST [key=value ...]
//
//   count=200        timed files (one at a time)            warmup=5      untimed files first (tool + probe warm-up)
//   bytes=4096       size of each file (random content)     gap-min=50    gap-max=100   ms, uniform random pause
//   timeout-s=30     per-file wait limit                    max-timeouts=5  stop after this many timeouts in a row
//   poll-ms=1        fallback poll interval                 log=FILE      per-file lines (default: stdout)
//   samples=FILE     latencies of the timed files, ms, one a line (for aggregation by the calling script)
//
// How a file is timed: t0 = System.nanoTime() right before the file is opened (CREATE_NEW + WRITE), then one
// write of all bytes and close(), like a normal program. Then DST's directory is watched (WatchService = inotify
// on Linux, events for create/modify/move-in) and, as a fallback, checked every poll-ms: each wake-up reads
// DST/<name> and compares it byte for byte with what was written; the latency is t(match) - t0. The watch makes
// detection immediate when the file lands in DST (rename from a temp file or in-place writes), the 1 ms poll
// bounds the error if an event is missed. Only DST's top directory is watched: the files go there.
// The pause between files (after the previous one arrived) is random gap-min..gap-max so that the writes do not
// phase-lock with a periodic timer of the tool.
//
// Output: per-file lines (to log=FILE or stdout), then on stdout
//   RESULT NAME latency_ms p50=.. p95=.. max=.. min=.. mean=.. n=.. timeouts=..
//   INFO NAME p10=.. p90=.. p99=.. write_ms_p50=.. write_ms_max=.. partial_seen=..
// p50 is the median (mean of the two middle values for an even n), p10/p90/p95/p99 are nearest-rank.
// "partial_seen" counts files that were seen in DST before their content was complete (a tool writing in place).
// Exit status: 0, 1 when any file timed out, 2 bad usage.
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

public class LatencyProbe {
    static final List<String> KEYS = List.of("count", "warmup", "bytes", "gap-min", "gap-max", "timeout-s",
            "max-timeouts", "poll-ms", "log", "samples");

    public static void main(String[] a) throws Exception {
        if (a.length < 3) usage("need NAME SRC DST");
        String name = a[0];
        Path src = Path.of(a[1]), dst = Path.of(a[2]);
        Map<String, String> opt = new HashMap<>();
        for (int i = 3; i < a.length; i++) {
            int eq = a[i].indexOf('=');
            if (eq < 1 || !KEYS.contains(a[i].substring(0, eq))) usage("unknown argument " + a[i]);
            opt.put(a[i].substring(0, eq), a[i].substring(eq + 1));
        }
        int count = Integer.parseInt(opt.getOrDefault("count", "200"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
        int bytes = Integer.parseInt(opt.getOrDefault("bytes", "4096"));
        long gapMin = Long.parseLong(opt.getOrDefault("gap-min", "50"));
        long gapMax = Long.parseLong(opt.getOrDefault("gap-max", "100"));
        long timeoutS = Long.parseLong(opt.getOrDefault("timeout-s", "30"));
        int maxTimeouts = Integer.parseInt(opt.getOrDefault("max-timeouts", "5"));
        long pollMs = Long.parseLong(opt.getOrDefault("poll-ms", "1"));
        if (!Files.isDirectory(src) || !Files.isDirectory(dst)) usage("SRC and DST must be existing directories");
        if (count < 1 || bytes < 0 || gapMin < 0 || gapMax < gapMin || pollMs < 1) usage("bad knob value");

        PrintStream log = opt.containsKey("log")
                ? new PrintStream(Files.newOutputStream(Path.of(opt.get("log"))), true) : System.out;
        SplittableRandom rnd = new SplittableRandom();
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Double> lat = new ArrayList<>(), writeMs = new ArrayList<>();
        int timeouts = 0, inARow = 0, partialSeen = 0;
        String header = String.format("LatencyProbe %s: SRC=%s DST=%s count=%d warmup=%d bytes=%d gap=%d..%d ms "
                + "watch+poll %d ms timeout=%d s", name, src, dst, count, warmup, bytes, gapMin, gapMax, pollMs, timeoutS);
        log.println(header);
        if (log != System.out) System.out.println(header);

        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            dst.register(ws, ENTRY_CREATE, ENTRY_MODIFY);   // ENTRY_CREATE includes a rename into DST (IN_MOVED_TO)
            for (int i = -warmup; i < count; i++) {
                String tag = i < 0 ? "warm-up " + (warmup + i + 1) : "file " + i;
                String file = "lat-" + run + "-" + (i < 0 ? "w" + (warmup + i + 1) : String.format("%04d", i)) + ".bin";
                byte[] data = new byte[bytes];
                rnd.nextBytes(data);
                Path target = dst.resolve(file);
                drain(ws);

                long t0 = System.nanoTime();
                try (OutputStream out = Files.newOutputStream(src.resolve(file), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    out.write(data);
                }
                long tw = System.nanoTime();

                long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutS);
                long seen = -1, done = -1;
                while (true) {
                    try {
                        byte[] got = Files.readAllBytes(target);
                        long t = System.nanoTime();
                        if (seen < 0) seen = t;
                        if (Arrays.equals(got, data)) { done = t; break; }
                    } catch (NoSuchFileException e) {
                        // not there yet
                    } catch (IOException e) {
                        // e.g. replaced while being read: try again at the next wake-up
                    }
                    if (System.nanoTime() >= deadline) break;
                    WatchKey k = ws.poll(pollMs, TimeUnit.MILLISECONDS);
                    if (k != null) { k.pollEvents(); k.reset(); }
                }
                double w = (tw - t0) / 1e6;
                if (done < 0) {
                    log.printf("  %-11s TIMEOUT after %d s%s%n", tag, timeoutS, seen >= 0 ? " (present but incomplete/wrong)" : "");
                    if (i >= 0) timeouts++;
                    if (++inARow >= maxTimeouts) {
                        log.printf("  giving up after %d timeouts in a row%n", inARow);
                        break;
                    }
                } else {
                    inARow = 0;
                    double ms = (done - t0) / 1e6;
                    boolean partial = done != seen;
                    log.printf("  %-11s %9.3f ms   (write+close %.3f ms%s)%n", tag, ms, w,
                            partial ? String.format(", first seen incomplete at %.3f ms", (seen - t0) / 1e6) : "");
                    if (i >= 0) {
                        lat.add(ms);
                        writeMs.add(w);
                        if (partial) partialSeen++;
                    }
                }
                Thread.sleep(gapMin + (gapMax > gapMin ? rnd.nextLong(gapMax - gapMin + 1) : 0));
            }
        }

        if (opt.containsKey("samples")) {
            StringBuilder sb = new StringBuilder();
            for (double v : lat) sb.append(String.format("%.3f%n", v));
            Files.writeString(Path.of(opt.get("samples")), sb);
        }
        int n = lat.size();
        if (n == 0) {
            System.out.printf("RESULT %s latency_ms p50=nan p95=nan max=nan min=nan mean=nan n=0 timeouts=%d%n", name, timeouts);
        } else {
            Collections.sort(lat);
            Collections.sort(writeMs);
            double mean = lat.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            System.out.printf("RESULT %s latency_ms p50=%.2f p95=%.2f max=%.2f min=%.2f mean=%.2f n=%d timeouts=%d%n",
                    name, median(lat), rank(lat, 0.95), lat.get(n - 1), lat.get(0), mean, n, timeouts);
            System.out.printf("INFO %s p10=%.2f p90=%.2f p99=%.2f write_ms_p50=%.3f write_ms_max=%.3f partial_seen=%d%n",
                    name, rank(lat, 0.10), rank(lat, 0.90), rank(lat, 0.99), median(writeMs), writeMs.get(n - 1), partialSeen);
        }
        if (log != System.out) log.close();
        System.exit(timeouts > 0 ? 1 : 0);
    }

    static void drain(WatchService ws) {
        WatchKey k;
        while ((k = ws.poll()) != null) { k.pollEvents(); k.reset(); }
    }

    static double median(List<Double> s) {
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile of a sorted list. */
    static double rank(List<Double> s, double p) {
        return s.get(Math.min(s.size() - 1, Math.max(0, (int) Math.ceil(p * s.size()) - 1)));
    }

    static void usage(String why) {
        System.err.println("LatencyProbe: " + why);
        System.err.println("usage: java LatencyProbe.java NAME SRC DST [count=200] [warmup=5] [bytes=4096] [gap-min=50]"
                + " [gap-max=100] [timeout-s=30] [max-timeouts=5] [poll-ms=1] [log=FILE] [samples=FILE]");
        System.exit(2);
    }
}
