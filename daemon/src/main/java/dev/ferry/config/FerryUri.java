package dev.ferry.config;

import dev.ferry.auth.PeerId;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a sync pushes to: {@code ferry://[ID@]HOST[:PORT]/FOLDER[/SUBDIR]}, e.g.
 * {@code ferry://MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OBYX-E4TT@nas.example:7878/photos/2024}. ID is the receiver's
 * {@link PeerId}, pinned: the push goes over TLS and only to a receiver that proves that key (a sender with an
 * identity needs it; without one, a target may not have it). The port defaults to {@value #DEFAULT_PORT}; FOLDER is a
 * folder name the receiver serves; SUBDIR ("" when absent) is a relative path below it. There is no
 * percent-encoding, query or fragment.
 *
 * @param id the pinned receiver ID; empty in plaintext mode
 */
public record FerryUri(Optional<PeerId> id, String host, int port, String folder, String subdir) {
    public static final int DEFAULT_PORT = 7878;
    private static final String SCHEME = "ferry://";
    private static final String FORM =
            "expected ferry://[ID@]HOST[:PORT]/FOLDER[/SUBDIR], e.g. ferry://nas.example:7878/photos";

    public FerryUri {
        Objects.requireNonNull(id, "id");
        new HostPort(host, port);
        if (port == 0) {
            throw new IllegalArgumentException("port 0 is not a valid target port; use 1..65535");
        }
        FolderName.check(folder);
        String problem = subdirProblem(Objects.requireNonNull(subdir, "subdir"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Without a pinned ID (plaintext mode). */
    public FerryUri(String host, int port, String folder, String subdir) {
        this(Optional.empty(), host, port, folder, subdir);
    }

    /**
     * Parses a ferry URI. A trailing '/' is allowed and dropped.
     *
     * @throws IllegalArgumentException quoting the input and saying what is wrong with it
     */
    public static FerryUri parse(String s) {
        String bad = "bad ferry URI \"" + s + "\": ";
        if (!s.startsWith(SCHEME)) {
            throw new IllegalArgumentException(bad + FORM);
        }
        for (char c : new char[] {'?', '#'}) {
            if (s.indexOf(c) >= 0) {
                throw new IllegalArgumentException(
                        bad + "'" + c + "' is not allowed (no query or fragment); " + FORM);
            }
        }
        String rest = s.substring(SCHEME.length());
        Optional<PeerId> id = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0 && (rest.indexOf('/') < 0 || at < rest.indexOf('/'))) {
            try {
                id = Optional.of(PeerId.parse(rest.substring(0, at)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(bad + "before '@' must be the receiver's ID: " + e.getMessage(), e);
            }
            rest = rest.substring(at + 1);
        }
        if (rest.indexOf('@') >= 0) {
            throw new IllegalArgumentException(bad + "'@' may appear once, after the receiver's ID; " + FORM);
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException(bad + "missing /FOLDER after the host; " + FORM);
        }
        HostPort address;
        try {
            address = HostPort.parse(rest.substring(0, slash), DEFAULT_PORT, "host", FORM);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(bad + e.getMessage(), e);
        }
        if (address.port() == 0) {
            throw new IllegalArgumentException(bad + "port 0 is not a valid target port; use 1..65535");
        }
        String path = rest.substring(slash + 1);
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int next = path.indexOf('/');
        String folder = next < 0 ? path : path.substring(0, next);
        String subdir = next < 0 ? "" : path.substring(next + 1);
        if (!FolderName.isValid(folder)) {
            throw new IllegalArgumentException(bad + "folder name \"" + folder + "\" is invalid: " + FolderName.RULE);
        }
        String problem = subdirProblem(subdir);
        if (problem != null) {
            throw new IllegalArgumentException(bad + problem);
        }
        return new FerryUri(id, address.host(), address.port(), folder, subdir);
    }

    private static String subdirProblem(String subdir) {
        if (subdir.isEmpty()) {
            return null;
        }
        for (String segment : subdir.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty path segment in subdir \"" + subdir
                        + "\"; write a/b, without leading, trailing or double '/'";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "subdir segment \"" + segment + "\" is not allowed; name a folder below FOLDER";
            }
            if (hasControlOrBackslash(segment)) {
                return "subdir segment \"" + segment
                        + "\" holds a backslash or a control character; separate folders with '/'";
            }
        }
        return null;
    }

    // a loop, not chars().anyMatch(...): a lambda and a stream pipeline cost a one-shot push ~5 ms to link at start
    private static boolean hasControlOrBackslash(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /** The receiver's address. */
    public HostPort address() {
        return new HostPort(host, port);
    }

    /**
     * Where this target is, without the pinned ID: what names its journal, so that pinning (or re-pinning) a
     * receiver keeps what was sent to it.
     */
    public String location() {
        return SCHEME + address() + "/" + folder + (subdir.isEmpty() ? "" : "/" + subdir);
    }

    /** The canonical form, with the port always written: {@code ferry://ID@nas.example:7878/photos/2024}. */
    @Override
    public String toString() {
        return id.isEmpty() ? location() : SCHEME + id.get() + "@" + location().substring(SCHEME.length());
    }
}
