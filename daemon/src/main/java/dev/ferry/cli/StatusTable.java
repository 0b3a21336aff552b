package dev.ferry.cli;

import dev.ferry.status.DaemonStatus;
import dev.ferry.status.PairStatus;
import dev.ferry.status.ReceiverStatus;
import dev.ferry.status.TargetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ferry status} for a person: a compact table, every line at most {@value #WIDTH} columns. One line per
 * target (state, pending files and bytes, rate, last sync), under it the file in flight with its progress, the
 * last error and the parked files; then the receiver's peers and transfers. Times are relative to when the snapshot
 * was taken ({@code 12s ago}), so the table reads the same whatever the clock of the machine that prints it.
 * Long names are cut in the middle ({@code ...}), long messages at the end.
 */
final class StatusTable {
    static final int WIDTH = 80;
    /** Parked files, and transfers, listed by name; the rest are counted ({@code --json} lists all). */
    static final int MAX_LISTED = 10;
    private static final String COLUMNS = "  %-24s %-14s %-15s %-11s %s";

    private final DaemonStatus status;
    private final List<String> lines = new ArrayList<>();

    private StatusTable(DaemonStatus status) {
        this.status = status;
    }

    /** The table's lines, without line breaks. */
    static List<String> render(DaemonStatus status) {
        StatusTable t = new StatusTable(status);
        t.all();
        return List.copyOf(t.lines);
    }

    private void all() {
        String version = status.version().startsWith("ferry ") ? status.version() : "ferry " + status.version();
        add(version + ", pid " + status.pid() + ", up " + span(status.startedAt(), status.takenAt()));
        if (status.pairs().isEmpty()) {
            add("no sync pairs");
        } else {
            add(String.format(Locale.ROOT, COLUMNS, "TARGET", "STATE", "PENDING", "RATE", "LAST SYNC"));
        }
        for (PairStatus p : status.pairs()) {
            pair(p);
        }
        if (status.receiver() != null) {
            receiver(status.receiver());
        }
    }

    private void pair(PairStatus p) {
        add(middle(p.source(), WIDTH - 30) + " (" + p.watchedDirectories() + " director"
                + (p.watchedDirectories() == 1 ? "y" : "ies") + " watched)");
        if (p.guarded()) {
            add("  source guarded: " + p.guardReason());
        }
        for (TargetStatus t : p.targets()) {
            target(t);
        }
    }

    private void target(TargetStatus t) {
        String pending = t.filesPending() == 0 && t.bytesPending() == 0 ? "-"
                : t.filesPending() + " (" + ProgressLine.size(t.bytesPending()) + ")";
        String rate = t.bytesPerSecond() > 0 ? ProgressLine.size(t.bytesPerSecond()) + "/s" : "-";
        String last = t.lastSync() == null ? "never" : span(t.lastSync(), status.takenAt()) + " ago";
        add(String.format(Locale.ROOT, COLUMNS, middle(shortTarget(t.target()), 24), t.state().label(), pending, rate, last));
        if (t.inFlight() != null) {
            TargetStatus.InFlight f = t.inFlight();
            add("    sending " + middle(f.path(), WIDTH - 40) + ": " + percent(f.bytesDone(), f.size()) + " of "
                    + ProgressLine.size(f.size()));
        }
        if (t.lastError() != null) {
            add("    error: " + t.lastError());
        }
        List<TargetStatus.ParkedFile> parked = t.parked();
        for (TargetStatus.ParkedFile f : parked.subList(0, Math.min(MAX_LISTED, parked.size()))) {
            String retry = f.retryAt() == null ? "" : "; retry in " + span(status.takenAt(), f.retryAt());
            add("    parked " + middle(f.path(), WIDTH / 2 - 12) + ": " + f.reason() + retry);
        }
        if (parked.size() > MAX_LISTED) {
            add("    ... and " + (parked.size() - MAX_LISTED) + " more parked (ferry status --json lists all)");
        }
    }

    private void receiver(ReceiverStatus r) {
        add("receiver on " + r.listen() + ", " + r.partialsKept() + " partial file" + (r.partialsKept() == 1 ? "" : "s")
                + " kept");
        add("  folders: " + String.join(", ", r.folders()));
        if (r.peers().isEmpty()) {
            add("  no peers connected");
        }
        for (ReceiverStatus.Peer p : r.peers()) {
            add(String.format(Locale.ROOT, "  peer %-22s %-16s connected %s ago", p.address(),
                    p.handshaking() ? "(handshake)" : middle(p.folder(), 16), span(p.since(), status.takenAt())));
        }
        List<ReceiverStatus.Transfer> transfers = r.transfers();
        for (ReceiverStatus.Transfer x : transfers.subList(0, Math.min(MAX_LISTED, transfers.size()))) {
            add("  receiving " + middle(x.folder() + "/" + x.path(), WIDTH - 50) + " from " + x.peer() + ": "
                    + percent(x.bytesDone(), x.size()) + " of " + ProgressLine.size(x.size()));
        }
        if (transfers.size() > MAX_LISTED) {
            add("  ... and " + (transfers.size() - MAX_LISTED) + " more transfers (ferry status --json lists all)");
        }
    }

    /** Adds a line, cut at {@link #WIDTH} columns. */
    private void add(String line) {
        String l = line.stripTrailing();
        lines.add(l.length() <= WIDTH ? l : l.substring(0, WIDTH - 3) + "...");
    }

    /** {@code ferry://host:port/folder} without its scheme: the column is narrow. */
    static String shortTarget(String uri) {
        return uri.startsWith("ferry://") ? uri.substring("ferry://".length()) : uri;
    }

    /** {@code s} in at most {@code max} characters, cut in the middle, so that both ends (a file's name) stay. */
    static String middle(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int tail = (max - 3) / 2;
        int head = max - 3 - tail;
        return s.substring(0, head) + "..." + s.substring(s.length() - tail);
    }

    static String percent(long done, long total) {
        return (total <= 0 ? 100 : Math.min(100, done * 100 / total)) + "%";
    }

    /** {@code 45s}, {@code 2m}, {@code 3h5m} (minutes only under 10 hours), {@code 20h}, {@code 3d} (from 2 days). */
    static String span(Instant from, Instant to) {
        long s = Math.max(0, Duration.between(from, to).toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 10 * 3600) {
            long m = s / 60 % 60;
            return s / 3600 + "h" + (m == 0 ? "" : m + "m");
        }
        if (s < 2 * 86_400) {
            return s / 3600 + "h";
        }
        return s / 86_400 + "d";
    }
}
