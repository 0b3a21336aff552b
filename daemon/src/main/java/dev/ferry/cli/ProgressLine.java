package dev.ferry.cli;

import dev.ferry.logging.Human;
import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.push.TransferListener;
import dev.ferry.time.FerryClock;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ferry push} shows while it runs: the live line (files done/total, bytes done/total, rate, ETA) at most
 * once per {@link #MIN_INTERVAL_NS}, and with {@code -v} one line per file sent, unchanged or failed. Built on the
 * session's {@link TransferListener}: it runs on the push's writer thread, which is also the thread that calls
 * {@link #finish} once the push returned (a one-shot push runs its session on the caller's thread), so it has one
 * owner and no locks.
 *
 * <p>Bytes count as done when the receiver acknowledged their chunk, or, for what no chunk carried (a file the receiver
 * already held, chunks it kept from an interrupted push, a small file sent inline), when the file is committed; a
 * failed file counts as done too, so the ETA does not wait for it. The rate is over the last {@link #RATE_WINDOW_NS}
 * (at least half a second of it), from the first update on (the connect and the handshake before it are not
 * transfer time); it includes files the receiver already held, as rsync's overall progress does.
 * The line is updated when the session reports something (a chunk acknowledged, a file committed): during a long
 * silence (the hashing of a big file the receiver asked the hashes of first) it stays as it was.
 */
final class ProgressLine implements TransferListener {
    /** At most five updates a second. */
    static final long MIN_INTERVAL_NS = 200_000_000L;
    /** The rate is measured over the last five seconds. */
    static final long RATE_WINDOW_NS = 5_000_000_000L;
    private static final long MIN_RATE_SPAN_NS = 500_000_000L;

    /** How the live line is shown. */
    enum Mode {
        /** Not at all (not a terminal, or {@code -q}). */
        OFF,
        /** Rewritten in place with {@code \r} (a terminal). */
        REWRITE,
        /** Each update on a line of its own ({@code --progress} into a file or a pipe), the end state last. */
        LINES
    }

    private final PrintStream out;
    private final Mode mode;
    private final boolean verbose;
    private final FerryClock clock;
    private final int totalFiles;
    private final long totalBytes;
    private final Map<SourceEntry, Long> ackedBytes = new HashMap<>();
    /** (time ns, bytes done) at each update shown, the oldest one at or just before the rate window. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private int chunkSize;
    private int filesDone;
    private long bytesDone;
    private long lastShownNs;
    private boolean shownOnce;
    /** Files and bytes done as of the last update shown. */
    private int shownFiles = -1;
    private long shownBytes = -1;
    /** Characters of the live line on the terminal now (REWRITE), 0 when none is showing. */
    private int showing;

    ProgressLine(PrintStream out, Mode mode, boolean verbose, FerryClock clock, int totalFiles, long totalBytes) {
        this.out = out;
        this.mode = mode;
        this.verbose = verbose;
        this.clock = clock;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
    }

    /** For the files of {@code plan}; with {@code verbose}, first a line for each file its quick check left out. */
    static ProgressLine of(PushPlan plan, PrintStream out, Mode mode, boolean verbose, FerryClock clock) {
        long bytes = 0;
        for (SourceEntry f : plan.files()) {
            bytes += f.size();
        }
        ProgressLine line = new ProgressLine(out, mode, verbose, clock, plan.files().size(), bytes);
        if (verbose) {
            plan.inSync().files().stream().sorted().forEach(path -> line.say("unchanged " + path));
        }
        return line;
    }

    /** Whether it shows anything at all; if not, the push needs no listener. */
    boolean shows() {
        return mode != Mode.OFF || verbose;
    }

    @Override
    public void started(SourceEntry file, int chunkSize, int chunkCount, byte[] fileHash) {
        this.chunkSize = chunkSize;
        ackedBytes.putIfAbsent(file, 0L);
        update();
    }

    @Override
    public void acked(SourceEntry file, int index) {
        long length = Math.min(chunkSize, file.size() - (long) index * chunkSize);
        if (chunkSize > 0 && length > 0) {
            ackedBytes.merge(file, length, Long::sum);
            bytesDone += length;
        }
        update();
    }

    @Override
    public void committed(SourceEntry file, boolean identical) {
        ended(file);
        if (verbose) {
            say(identical ? "unchanged " + file.remotePath() : "sent " + file.remotePath() + " (" + size(file.size()) + ")");
        }
        update();
    }

    @Override
    public void failed(SourceEntry file, String reason) {
        ended(file);
        if (verbose) {
            say("failed " + file.remotePath() + ": " + reason);
        }
        update();
    }

    /**
     * The push returned (done or not): the live line leaves the terminal, or (one update a line) the end state is the
     * last line, unless the last update already showed it.
     */
    void finish() {
        switch (mode) {
            case REWRITE -> clear();
            case LINES -> {
                if (filesDone != shownFiles || bytesDone != shownBytes) {
                    sample(clock.nanoTime());
                    out.println(line());
                }
            }
            case OFF -> {
            }
        }
        out.flush();
    }

    private void ended(SourceEntry file) {
        Long acked = ackedBytes.remove(file);
        bytesDone += file.size() - (acked == null ? 0 : acked);
        filesDone++;
    }

    /** A line of its own above the live line. */
    private void say(String text) {
        clear();
        out.println(text);
        out.flush();
    }

    private void update() {
        if (mode == Mode.OFF) {
            return;
        }
        long now = clock.nanoTime();
        if (shownOnce && now - lastShownNs < MIN_INTERVAL_NS) {
            return;
        }
        shownOnce = true;
        lastShownNs = now;
        sample(now);
        shownFiles = filesDone;
        shownBytes = bytesDone;
        String text = line();
        if (mode == Mode.LINES) {
            out.println(text);
        } else {
            out.print("\r" + text + " ".repeat(Math.max(0, showing - text.length())));
            showing = text.length();
        }
        out.flush();
    }

    private void clear() {
        if (showing > 0) {
            out.print("\r" + " ".repeat(showing) + "\r");
            showing = 0;
        }
    }

    private void sample(long now) {
        samples.add(new long[]{now, bytesDone});
        while (samples.size() > 2) {
            var oldest = samples.iterator();
            oldest.next();
            long[] second = oldest.next();
            if (now - second[0] < RATE_WINDOW_NS) {
                break;
            }
            samples.pollFirst();
        }
    }

    /** Bytes a second over the rate window, or -1 while less than half a second of it is known. */
    long rate() {
        if (samples.size() < 2) {
            return -1;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long span = last[0] - first[0];
        if (span < MIN_RATE_SPAN_NS) {
            return -1;
        }
        return (long) ((last[1] - first[1]) * 1e9 / span);
    }

    /** The live line as it is now (as of the last update). */
    String line() {
        long rate = rate();
        return format(filesDone, totalFiles, bytesDone, totalBytes, rate);
    }

    /**
     * {@code ferry: 3/10 files, 1.5/8.0 MiB (18%), 2.5 MiB/s, ETA 0:03}; the rate and ETA are {@code --} while not
     * known, the percentage is of the bytes (of the files when there are none).
     */
    static String format(int filesDone, int totalFiles, long bytesDone, long totalBytes, long bytesPerSecond) {
        int percent = totalBytes > 0 ? (int) (bytesDone * 100 / totalBytes)
                : totalFiles > 0 ? filesDone * 100 / totalFiles : 100;
        String rate = bytesPerSecond < 0 ? "--/s" : size(bytesPerSecond) + "/s";
        String eta = bytesPerSecond <= 0 ? "--:--" : duration(ceilDiv(Math.max(0, totalBytes - bytesDone), bytesPerSecond));
        return "ferry: " + filesDone + "/" + totalFiles + " files, " + sizes(bytesDone, totalBytes) + " (" + percent + "%), "
                + rate + ", ETA " + eta;
    }

    /** {@code 1.5/8.0 MiB}: both in the unit of the total. */
    static String sizes(long done, long total) {
        int unit = unit(total);
        if (unit == 0) {
            return done + "/" + total + " B";
        }
        return scaled(done, unit) + "/" + scaled(total, unit) + " " + UNITS[unit];
    }

    /** {@code 512 B}, {@code 2.0 MiB}, with one decimal from KiB up: {@link Human#bytes}, as the log lines write it. */
    static String size(long bytes) {
        return Human.bytes(bytes);
    }

    /** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
    static String duration(long seconds) {
        if (seconds >= 100 * 3600) {
            return "--:--";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private static int unit(long bytes) {
        int unit = 0;
        while (unit < UNITS.length - 1 && bytes >= 1L << (10 * (unit + 1))) {
            unit++;
        }
        return unit;
    }

    private static String scaled(long bytes, int unit) {
        return String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << (10 * unit)));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
