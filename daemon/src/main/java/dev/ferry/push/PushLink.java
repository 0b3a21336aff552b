package dev.ferry.push;

import dev.ferry.auth.Proof;
import dev.ferry.logging.LogText;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.Compression;
import dev.ferry.wire.Protocol;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The connection under a {@link PushSession}: connect and handshake, a reader thread that hands every frame to
 * the session, and a {@link LinkWatchdog} that keeps the link honest — it ends a plan stuck on a silent receiver,
 * and between plans it sends keep-alive PINGs and closes a link whose PINGs go unanswered. Opened and closed by the
 * session's writer thread.
 */
final class PushLink {
    private static final String SOFTWARE = "ferry/0.1";

    private final PushSettings settings;
    private final LinkSocket socket;
    private final FrameChannel channel;
    private final FrameOut out;
    private final ReceiverSilence silence;
    /** What the handshake agreed on: the chunks go compressed with this (OFF if the receiver did not grant it). */
    private Compression compression = Compression.OFF;
    /** The receiver agreed to parallel streams (SHARE and JOIN) on this link. */
    private boolean streamsGranted;
    /**
     * The shorter of HELLO to CHALLENGE and AUTH to WELCOME: about one round trip (nanoseconds of the session's clock;
     * the receiver's work in each is small, but a cold receiver's first handshake takes longer).
     */
    private long handshakeRttNs;
    private final FerryClock clock;
    private Thread reader;
    private LinkWatchdog watchdog;
    private volatile boolean closed;

    private PushLink(PushSettings settings, FerryClock clock, LinkSocket socket, FrameChannel channel) {
        this.settings = settings;
        this.socket = socket;
        this.channel = channel;
        this.out = new FrameOut(channel, clock);
        this.clock = clock;
        this.silence = new ReceiverSilence(clock);
    }

    /**
     * Connects and authenticates, then starts the reader, which hands each frame (but PONGs) to {@code frames} and
     * the read failure that ends it to {@code failed}.
     */
    static PushLink open(PushSettings settings, FerryClock clock, Consumer<Frame> frames, Consumer<IOException> failed)
            throws PushException {
        return open(settings, clock, false, frames, failed);
    }

    /** The same; {@code streams}: ask the receiver for parallel streams (this link may SHARE or JOIN files). */
    static PushLink open(PushSettings settings, FerryClock clock, boolean streams, Consumer<Frame> frames,
                         Consumer<IOException> failed) throws PushException {
        PushLink link = connect(settings, clock, streams);
        link.reader = settings.threads().start("ferry-push-reader", () -> link.readLoop(frames, failed));
        link.watchdog = new LinkWatchdog(settings, link.silence, link.out, link::closeSocket, link.target());
        link.watchdog.start();
        return link;
    }

    /** A connection that only asks for a listing of {@code subtree}. */
    static List<Frame.ListedEntry> list(PushSettings settings, String subtree) throws PushException {
        return list(settings, subtree, Protocol.MAX_LISTED_ENTRIES);
    }

    /** The same, taking at most {@code maxEntries} entries (tests give a small number). */
    static List<Frame.ListedEntry> list(PushSettings settings, String subtree, int maxEntries) throws PushException {
        PushLink link = connect(settings, FerryClock.system(), false);
        try {
            FrameChannel channel = link.channel;
            channel.send(new Frame.ListRequest(1, subtree));
            List<Frame.ListedEntry> entries = new ArrayList<>();
            while (true) {
                Frame f = channel.read();
                if (f instanceof Frame.Error e) {
                    throw PushException.refused(e);
                }
                if (!(f instanceof Frame.Listing l)) {
                    throw new PushException("receiver answered LIST with " + f);
                }
                if (entries.size() + l.entries().size() > maxEntries) {
                    throw new PushException("receiver at " + target(settings) + " listed more than "
                            + maxEntries + " entries under '" + LogText.oneLine(subtree)
                            + "', the most a sender takes");
                }
                entries.addAll(l.entries());
                if (!l.more()) {
                    channel.send(new Frame.Bye());
                    return entries;
                }
            }
        } catch (PushException e) {
            throw e;
        } catch (IOException e) {
            throw new PushException("connection to " + target(settings) + " failed: " + e.getMessage(), e);
        } finally {
            link.closeSocket();
        }
    }

    private static PushLink connect(PushSettings settings, FerryClock clock, boolean streams) throws PushException {
        LinkSocket socket = LinkSocket.open(settings);
        try {
            FrameChannel channel = new FrameChannel(socket.framed(),
                    WireLimits.forChunk(Math.max(settings.chunkSize(), WireLimits.DEFAULT_MAX_CHUNK)));
            channel.readTimeout(settings.readTimeout());
            PushLink link = new PushLink(settings, clock, socket, channel);
            link.handshake(streams);
            return link;
        } catch (IOException e) {
            socket.closeQuietly();
            throw e instanceof PushException pe ? pe
                    : new PushException("connection to " + target(settings) + " failed: " + e.getMessage(), e);
        }
    }

    private void handshake(boolean streams) throws IOException {
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        long helloNs = clock.nanoTime();
        channel.send(new HandshakeFrame.Hello(Protocol.MIN_VERSION, Protocol.VERSION, settings.folder(), nonce, SOFTWARE));
        Frame f = channel.read();
        handshakeRttNs = clock.nanoTime() - helloNs;
        if (f instanceof Frame.Error e) {
            throw PushException.refused(e);
        }
        if (!(f instanceof HandshakeFrame.Challenge c)) {
            throw new PushException("receiver answered HELLO with " + f);
        }
        if (c.version() < Protocol.MIN_VERSION || c.version() > Protocol.VERSION) {
            throw new PushException("receiver chose protocol version " + c.version() + ", this sender speaks "
                    + Protocol.MIN_VERSION + ".." + Protocol.VERSION);
        }
        // a version-1 receiver knows no features: ask for none, and its AUTH stays the 32 bytes it reads
        Compression wanted = settings.shaping().compression();
        int asked = c.version() < Protocol.FEATURES_VERSION ? 0
                : (wanted.on() ? Protocol.FEATURE_ZSTD : 0) | (streams ? Protocol.FEATURE_STREAMS : 0);
        // a sender with an identity and no token proves nothing here: its TLS key speaks for it (all zeros, see
        // PROTOCOL.md)
        HandshakeFrame.Auth auth = new HandshakeFrame.Auth(settings.token() == null ? new byte[Proof.LENGTH]
                : Proof.compute(settings.token(), nonce, c.serverNonce(), settings.folder()), asked);
        long authNs = clock.nanoTime();
        channel.send(auth);
        f = channel.read();
        handshakeRttNs = Math.min(handshakeRttNs, clock.nanoTime() - authNs);
        if (f instanceof Frame.Error e) {
            throw PushException.refused(e);
        }
        if (!(f instanceof HandshakeFrame.Welcome w)) {
            throw new PushException("receiver answered AUTH with " + f);
        }
        if ((w.features() & ~asked) != 0) {
            throw new PushException("receiver granted features 0x" + Integer.toHexString(w.features())
                    + " that this sender did not ask for (0x" + Integer.toHexString(asked) + ")");
        }
        if (settings.chunkSize() > w.maxChunkLength()) {
            throw new PushException("chunk size " + settings.chunkSize() + " is above the receiver's limit of " + w.maxChunkLength());
        }
        if ((w.features() & Protocol.FEATURE_ZSTD) != 0) {
            compression = wanted;
            channel.compressChunks(wanted);
        }
        streamsGranted = (w.features() & Protocol.FEATURE_STREAMS) != 0;
        channel.pace(settings.shaping().pacer()); // after the handshake: a limit never delays the login
    }

    /** The compression the receiver agreed to for this link: {@link Compression#OFF} if none. */
    Compression compression() {
        return compression;
    }

    /** Whether the receiver agreed to parallel streams: this link may SHARE the files it offers, and JOIN others. */
    boolean streamsGranted() {
        return streamsGranted;
    }

    /** About one round trip to the receiver, as the handshake took it (HELLO to CHALLENGE), in nanoseconds. */
    long handshakeRttNs() {
        return handshakeRttNs;
    }

    /** Where the session writes its frames. */
    FrameOut out() {
        return out;
    }

    String target() {
        return target(settings);
    }

    private static String target(PushSettings settings) {
        return settings.host() + ":" + settings.port();
    }

    /** A plan starts (silence now counts from here) or ends. */
    void busy(boolean on) {
        silence.busy(on);
    }

    /** Nanoseconds since the receiver last sent anything. */
    long silentNs() {
        return silence.silentNs();
    }

    /** Says BYE if {@code goodbye}, then closes the socket and ends the threads. Never throws. */
    void close(boolean goodbye) {
        if (goodbye && !closed) {
            try {
                channel.send(new Frame.Bye());
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closed = true;
        if (watchdog != null) {
            watchdog.stop();
        }
        closeSocket();
        SessionThreads.joinQuietly(reader);
        try {
            channel.close(); // the socket is closed: this only frees the channel's zstd contexts
        } catch (IOException ignored) {
            // closed already
        }
    }

    /** Closes the TCP socket (under TLS too), which fails a blocked write or read at once. */
    void closeSocket() {
        socket.closeQuietly();
    }

    private void readLoop(Consumer<Frame> frames, Consumer<IOException> failed) {
        try {
            while (true) {
                Frame f = channel.read();
                silence.heard();
                if (!(f instanceof Frame.Pong)) { // (a PONG only says the receiver is there)
                    frames.accept(f);
                }
            }
        } catch (IOException e) {
            failed.accept(e);
        }
    }
}
