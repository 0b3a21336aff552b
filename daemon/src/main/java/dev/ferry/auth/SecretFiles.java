package dev.ferry.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one rule for files that hold a secret (token files, private keys): nobody but their owner may read them. A file
 * that the group or others can read (or write) is refused, with the {@code chmod} that fixes it; the secret is never
 * read from it.
 */
public final class SecretFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private SecretFiles() {
    }

    /**
     * @param what what the file is, for the message ("token file", "private key")
     * @throws IOException naming the file, its mode and the command to run, if group or others have any access
     */
    public static void checkOwnerOnly(Path file, String what) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file); // a symlink is judged by what it points to
        } catch (UnsupportedOperationException e) {
            return; // a file system without POSIX modes: nothing to check
        }
        Set<PosixFilePermission> others = EnumSet.copyOf(perms);
        others.removeAll(OWNER_ONLY);
        if (!others.isEmpty()) {
            throw new IOException(what + " " + file + " can be read by others (mode "
                    + PosixFilePermissions.toString(perms) + "): run chmod 600 " + file);
        }
    }
}
