package dev.ferry.receive;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Turns a relative path received from a peer into a path under a folder root, refusing anything that could
 * land outside it or inside ferry's own state. Rules, checked on the string first: not empty, at most
 * {@value #MAX_PATH_BYTES} bytes, no NUL, no leading '/', segments separated by single '/', no segment "." or
 * "..", none longer than 255 bytes, and the first segment is not {@value #STATE_DIR}. Then, on disk, segment by
 * segment: no existing parent may be a symlink or a non-directory, and the result must
 * {@code normalize().startsWith(root)}.
 *
 * <p>Pure logic on an injected root {@link Path} (jimfs works); thread-safe.
 */
final class SafePaths {
    static final String STATE_DIR = ".ferry";
    static final int MAX_PATH_BYTES = 4096;
    private static final int MAX_SEGMENT_BYTES = 255;

    private SafePaths() {
    }

    /** Checks the string rules only; returns the segments. */
    static String[] segments(String relative) throws BadPathException {
        if (relative.isEmpty()) {
            throw new BadPathException("empty path");
        }
        if (relative.indexOf('\0') >= 0) {
            throw new BadPathException("path contains NUL: '" + printable(relative) + "'");
        }
        if (relative.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new BadPathException("path longer than " + MAX_PATH_BYTES + " bytes");
        }
        if (relative.startsWith("/")) {
            throw new BadPathException("absolute path '" + printable(relative) + "'");
        }
        String[] parts = relative.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new BadPathException("empty segment in '" + printable(relative) + "'");
            }
            if (part.equals(".") || part.equals("..")) {
                throw new BadPathException("'" + part + "' segment in '" + printable(relative) + "'");
            }
            if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new BadPathException("segment longer than " + MAX_SEGMENT_BYTES + " bytes in '" + printable(relative) + "'");
            }
        }
        if (parts[0].equals(STATE_DIR)) {
            throw new BadPathException("'" + printable(relative) + "' is inside ferry's state folder " + STATE_DIR + "/");
        }
        return parts;
    }

    /**
     * Resolves {@code relative} under {@code root} (which must be a real path, no symlinks in it). Existing parents
     * must be real directories; the last segment may or may not exist.
     */
    static Path resolve(Path root, String relative) throws BadPathException, IOException {
        String[] parts = segments(relative);
        Path current = root;
        for (int i = 0; i < parts.length; i++) {
            current = current.resolve(parts[i]);
            if (i < parts.length - 1) {
                checkParent(root, current, relative);
            }
        }
        Path normalized = current.normalize();
        if (!normalized.startsWith(root)) {
            throw new BadPathException("'" + printable(relative) + "' resolves outside the folder");
        }
        return normalized;
    }

    /**
     * Creates the missing parents of {@code target} (a path returned by {@link #resolve}) one at a time, checking each
     * again, so that a symlink planted between resolve and now is not followed.
     */
    static void createParents(Path root, Path target) throws BadPathException, IOException {
        Path relative = root.relativize(target.getParent() == null ? root : target.getParent());
        Path current = root;
        for (Path part : relative) {
            if (part.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(part.toString());
            // look before creating: the parents exist for almost every file, and an exception per level (the
            // FileAlreadyExistsException of a blind createDirectory) cost ~30 us each in a push of small files
            if (!checkParent(root, current, root.relativize(target).toString())) {
                try {
                    Files.createDirectory(current);
                } catch (FileAlreadyExistsException e) {
                    checkParent(root, current, root.relativize(target).toString()); // created meanwhile
                }
            }
        }
    }

    /** False if {@code dir} does not exist; true if it is a real directory; else the path is refused. */
    private static boolean checkParent(Path root, Path dir, String relative) throws BadPathException, IOException {
        // (readAttributesIfExists: a missing directory, common while a new tree arrives, costs no exception)
        BasicFileAttributes attrs = dir.getFileSystem().provider()
                .readAttributesIfExists(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs == null) {
            return false;
        }
        if (attrs.isSymbolicLink()) {
            throw new BadPathException("'" + printable(relative) + "' goes through symlink '" + root.relativize(dir) + "'");
        }
        if (!attrs.isDirectory()) {
            throw new BadPathException("'" + printable(relative) + "' needs '" + root.relativize(dir)
                    + "' to be a directory, but it is a file");
        }
        return true;
    }

    /** Quotes control characters so a hostile path cannot forge log lines. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
