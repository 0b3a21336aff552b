package dev.ferry.cli;

import dev.ferry.auth.Proof;
import dev.ferry.auth.SenderPin;
import dev.ferry.auth.Token;
import dev.ferry.config.ByteSizes;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.plan.IgnoreRules;
import dev.ferry.plan.PushReconciler;
import dev.ferry.push.DigestCache;
import dev.ferry.push.DigestCacheDir;
import dev.ferry.push.ListingAhead;
import dev.ferry.push.PushException;
import dev.ferry.push.PushPlan;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.SessionThreads;
import dev.ferry.push.Pusher;
import dev.ferry.push.TransferListener;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
import java.util.Set;

/** {@code ferry push SRC ferry://HOST:PORT/FOLDER[/SUBDIR]}: one-shot push; exit 0 only if everything arrived. */
final class PushCommand implements Verb {
    @Override
    public String name() {
        return "push";
    }

    @Override
    public String summary() {
        return "push a file or a directory to a receiver and exit";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry push SRC ferry://ID@HOST:PORT/FOLDER[/SUBDIR] --identity DIR [OPTIONS]
                       ferry push SRC ferry://HOST:PORT/FOLDER[/SUBDIR] --token-file FILE [OPTIONS]
                Push a file or a directory to a ferry receiver; exit 0 only when everything is committed and verified.
                SRC/ (trailing slash) pushes the contents of SRC, SRC pushes SRC itself, as with rsync.
                With --identity the push goes over TLS 1.3 to the receiver whose ID the target pins (ferry id DIR
                on the receiver prints it); without, in the clear with the token (trusted LANs only).

                  --identity DIR      this host's identity (ferry keygen DIR makes one); the target must pin an ID
                  --token-file FILE   shared token file (required without --identity; with it, for a folder a
                                      token opens)
                  --chunk-size SIZE   chunk size, %s..%s (default %s)
                  --hash ALG          chunk hash: xxh3-128 (default) or sha-256
                  --streams N         connections for the chunks of one big file (64 chunks and up), 1..%d
                                      (default %d): on a long fat link one TCP window holds a file back
                  %s
                  --state-dir DIR     where the digest cache lives (default: $XDG_STATE_HOME/ferry, else
                                      ~/.local/state/ferry): the hash lists of big files (8 MiB and up) an
                                      earlier push read, in DIR/push-digests/, at most %d; with them a push
                                      that was interrupted resumes without reading the whole file again
                  --no-digest-cache   neither use nor keep such lists
                  --checksum          compare every file's contents with what the receiver holds; without
                                      it a file of the same size, mtime and mode there is left out unread
                                      (rsync's quick check: a file changed with its size and mtime put
                                      back is missed)
                  --delete            after the push, remove on the receiver what SRC no longer has below
                                      the pushed directory (into the folder's trash when it keeps one);
                                      never above it, never .ferry/, never what --exclude holds
                  --exclude PATTERN   leave out the paths PATTERN matches, and all below them (repeatable);
                                      the daemon's ignore language, matched against paths below SRC:
                                      '*.tmp' any name at any depth, 'cache/' a directory, 'build/out'
                                      (a '/' inside) anchored at SRC; excluded paths are neither sent nor
                                      deleted by --delete (there is no --delete-excluded)
                  -n, --dry-run       say what would be sent, created and deleted, writing nothing:
                                      compares size, mtime and mode with the receiver's listing
                  --progress          show the live line even when the output is not a terminal, one
                                      update a line (on a terminal it is shown anyway, rewritten in place)
                  -v, --verbose       one line per file sent, unchanged or failed; with -n also the unchanged
                  -q, --quiet         print nothing but errors

                As rsync -a: symlinks are pushed as symlinks, their text as is, never followed (the receiver
                refuses one that is absolute or leads out of its folder: that link fails, exit 1); an entry of
                another kind in the way (a directory where a symlink goes, say) is replaced, into the trash when
                the folder keeps one; modes and mtimes are kept; special files are skipped. Hard links are not
                preserved: each name is sent as a file of its own (rsync -a without -H does the same).

                On a terminal a live line shows files and bytes done, the rate and the time left, at most five
                times a second; it ends with the summary line, the only output when not on a terminal:
                  ferry: pushed 3 files (1 unchanged), 2 symlinks (0 unchanged), 1 directory, 4 deleted, 1 excluded: ...
                """.formatted(ByteSizes.format(SyncConfig.MIN_CHUNK_SIZE), ByteSizes.format(SyncConfig.MAX_CHUNK_SIZE),
                ByteSizes.format(SyncConfig.DEFAULT_CHUNK_SIZE), Pusher.MAX_STREAMS, DEFAULT_STREAMS,
                ShapingOptions.USAGE.stripTrailing().stripLeading(),
                DigestCacheDir.DEFAULT_MAX_ENTRIES);
    }

    @Override
    public Set<String> options() {
        Set<String> options = new java.util.HashSet<>(Set.of("--identity", "--token-file", "--chunk-size", "--hash", "--state-dir",
                "--exclude", "--streams"));
        options.addAll(ShapingOptions.OPTIONS);
        return Set.copyOf(options);
    }

    @Override
    public Set<String> flags() {
        return Set.of("--no-digest-cache", "-n", "--dry-run", "--progress", "-v", "--verbose", "-q", "--quiet", "--delete",
                "--checksum");
    }

    /** Connections for one big file when {@code --streams} is not given. */
    static final int DEFAULT_STREAMS = 1;

    private static int streams(String value) {
        if (value == null) {
            return DEFAULT_STREAMS;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= Pusher.MAX_STREAMS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException("--streams " + value + " is not a number of connections in 1.." + Pusher.MAX_STREAMS);
    }

    @Override
    public int run(Args args) throws PushException {
        Proof.prepareInBackground();
        List<String> p = args.expectPositionals(name(), "SRC", "ferry://[ID@]HOST:PORT/FOLDER[/SUBDIR]");
        String source = p.get(0);
        String target = p.get(1);
        String tokenFile = args.value("--token-file");
        String identity = args.value("--identity");
        String chunkSize = args.value("--chunk-size");
        String hash = args.value("--hash");
        int streams = streams(args.value("--streams"));
        if (tokenFile == null && identity == null) {
            throw new UsageException("push needs --identity DIR (TLS, with ferry://ID@HOST:PORT/FOLDER) or --token-file"
                    + " FILE (plaintext)");
        }
        FerryUri uri;
        PushSettings settings;
        IgnoreRules excluded;
        try {
            excluded = IgnoreRules.of(args.values("--exclude"));
            uri = FerryUri.parse(target); // accepts one trailing '/', a habit from rsync
            if (identity != null && uri.id().isEmpty()) {
                throw new UsageException("--identity needs the receiver's ID in the target: ferry://ID@" + uri.address()
                        + "/" + uri.folder() + " (ferry id DIR on the receiver prints it)");
            }
            if (identity == null && uri.id().isPresent()) {
                throw new UsageException("the target pins receiver ID " + uri.id().get() + ": give this host's identity"
                        + " with --identity DIR (ferry keygen DIR makes one)");
            }
            Token token = tokenFile == null ? null : TokenOption.load(Path.of(tokenFile));
            // a one-shot process with one connection: platform threads (see SessionThreads.PLATFORM)
            settings = (identity == null ? settings(uri, token)
                    : settings(uri, token, new SenderPin(IdentityOption.load(Path.of(identity)), uri.id().get())))
                    .withThreads(SessionThreads.PLATFORM);
            if (identity == null) {
                Plaintext.warn("to " + uri.address());
            }
            if (chunkSize != null) {
                long size = ByteSizes.parse(chunkSize);
                if (!SyncConfig.chunkSizeInRange(size)) {
                    throw new IllegalArgumentException("--chunk-size " + chunkSize + " is outside "
                            + ByteSizes.format(SyncConfig.MIN_CHUNK_SIZE) + ".." + ByteSizes.format(SyncConfig.MAX_CHUNK_SIZE));
                }
                settings = settings.withChunkSize((int) size);
            }
            if (hash != null) {
                settings = settings.withAlgorithm(HashAlgorithm.byName(hash));
            }
            settings = ShapingOptions.apply(args, settings); // after --chunk-size: the bwlimit floor depends on it
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        boolean contentsOnly = source.endsWith("/");
        boolean quiet = args.flag("-q") || args.flag("--quiet");
        boolean verbose = args.flag("-v") || args.flag("--verbose");
        boolean progress = args.flag("--progress");
        if (quiet && (verbose || progress)) {
            throw new UsageException("-q/--quiet prints nothing but errors: it cannot go with "
                    + (verbose ? "-v/--verbose" : "--progress"));
        }
        String base = Pusher.base(Path.of(source), contentsOnly, uri.subdir());
        // the receiver's listing says what is in the way of the plan, and, with --delete, what the source lost;
        // asked while the source is walked (both walks take about as long)
        ListingAhead ahead = Pusher.listAhead(settings, base);
        PushPlan walked = Pusher.plan(Path.of(source), contentsOnly, uri.subdir(), excluded);
        List<Frame.ListedEntry> listing = ahead.await();
        PushPlan plan = PushReconciler.reconcile(walked, listing, uri.subdir(), base, args.flag("--delete"), excluded,
                args.flag("--checksum"));
        if (args.flag("-n") || args.flag("--dry-run")) {
            return dryRun(plan, listing, quiet, verbose);
        }
        String stateDir = args.value("--state-dir");
        DigestCache digests = args.flag("--no-digest-cache") ? DigestCache.NONE
                : new DigestCacheDir((stateDir == null ? ConfigLoader.defaultStateDir() : Path.of(stateDir)).resolve("push-digests"),
                        DigestCacheDir.DEFAULT_MAX_ENTRIES);
        ProgressLine.Mode mode = quiet ? ProgressLine.Mode.OFF
                : Terminal.stdoutIsTerminal() ? ProgressLine.Mode.REWRITE
                : progress ? ProgressLine.Mode.LINES : ProgressLine.Mode.OFF;
        ProgressLine line = ProgressLine.of(plan, System.out, mode, verbose, FerryClock.system());
        // the plan holds what the listing showed missing or different: a small file the receiver lacks, or holds at
        // another size, is sent whole in one flight; one it holds at the same size (plan.sameSizeThere) asks first
        PushSettings sending = settings.withInlineUpTo(PushSettings.SMALL_FILE_BYTES);
        PushResult result;
        try {
            result = Pusher.run(plan, sending, digests, line.shows() ? line : TransferListener.NONE, streams);
        } finally {
            line.finish(); // (also when the session failed: the error then starts a line of its own)
        }
        if (quiet) {
            reportErrors(result, System.err);
        } else {
            report(result, System.out, System.err);
        }
        return result.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** {@code -n}: the receiver's listing against the plan, printed; nothing is written there. */
    private static int dryRun(PushPlan plan, List<Frame.ListedEntry> listing, boolean quiet, boolean verbose) {
        if (plan.isEmpty() && plan.inSync().isEmpty()) {
            if (!quiet) {
                System.out.println("ferry: dry run, nothing written: nothing to push");
            }
            return ExitCode.OK;
        }
        DryRun.Report report = DryRun.compare(plan, listing);
        if (!quiet) {
            for (DryRun.Item item : report.items()) {
                if (verbose || item.kind() != DryRun.Kind.UNCHANGED) {
                    System.out.println(item.line());
                }
            }
            System.out.println(report.summary(plan));
            for (String s : plan.skipped()) {
                System.err.println("ferry: would skip " + s);
            }
        }
        return ExitCode.OK;
    }

    /**
     * The one place a one-shot push (and the demo) takes its {@link PushSettings} from the {@code sync:} section's
     * defaults, as a daemon's pair would with nothing set in its config.
     */
    /** As {@link #settings(FerryUri, Token)}, over TLS with {@code pin}; {@code token} may be null. */
    static PushSettings settings(FerryUri uri, Token token, SenderPin pin) {
        return PushSettings.of(uri.host(), uri.port(), uri.folder(), token, pin, SyncConfig.DEFAULT_CHUNK_SIZE,
                SyncConfig.DEFAULT_READ_TIMEOUT, SyncConfig.DEFAULT_CHUNK_ATTEMPTS, SyncConfig.DEFAULT_KEEP_ALIVE);
    }

    static PushSettings settings(FerryUri uri, Token token) {
        return PushSettings.of(uri.host(), uri.port(), uri.folder(), token, SyncConfig.DEFAULT_CHUNK_SIZE,
                SyncConfig.DEFAULT_READ_TIMEOUT, SyncConfig.DEFAULT_CHUNK_ATTEMPTS, SyncConfig.DEFAULT_KEEP_ALIVE);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static void report(PushResult r, PrintStream out, PrintStream err) {
        out.println(summary(r));
        if (r.wireBytes() < r.bytesSent()) {
            out.printf(Locale.ROOT, "ferry: compressed: %s on the wire for %s of chunks (%.1f%%)%n", mib(r.wireBytes()),
                    mib(r.bytesSent()), 100.0 * r.wireBytes() / r.bytesSent());
        }
        for (String s : r.skipped()) {
            err.println("ferry: skipped " + s);
        }
        reportErrors(r, err);
    }

    /**
     * {@code ferry: pushed 3 files (1 unchanged), 2 symlinks (0 unchanged), 1 directory, 4 deleted, 1 excluded: 2.0 MiB in 2
     * chunks (0 re-sent) in 0.12 s (17 MB/s)}; {@code , N replaced} after the directories when entries of another
     * kind were cleared out of the way.
     */
    static String summary(PushResult r) {
        double seconds = r.elapsed().toNanos() / 1e9;
        return String.format(Locale.ROOT, "ferry: pushed %d file%s (%d unchanged), %d symlink%s (%d unchanged), %d director%s%s,"
                        + " %d deleted, %d excluded: %s in %d chunks (%d re-sent) in %.2f s (%.0f MB/s)",
                r.filesSent(), r.filesSent() == 1 ? "" : "s", r.filesUnchanged(), r.symlinks(), r.symlinks() == 1 ? "" : "s",
                r.symlinksUnchanged(),
                r.directories(), r.directories() == 1 ? "y" : "ies", r.replaced() == 0 ? "" : ", " + r.replaced() + " replaced",
                r.deleted(), r.excluded(), mib(r.bytesSent()), r.chunksSent(), r.chunksResent(), seconds,
                seconds > 0 ? r.bytesSent() / seconds / 1e6 : 0.0);
    }

    /** One line per file or directory that did not arrive; all {@code -q} prints of a push that ran. */
    static void reportErrors(PushResult r, PrintStream err) {
        for (PushResult.Failure f : r.failures()) {
            err.println("ferry: failed " + f.path() + ": " + f.reason());
        }
    }
}
