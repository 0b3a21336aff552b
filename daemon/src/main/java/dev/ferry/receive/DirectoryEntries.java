package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * Applies a directory OFFER: creates the directory if missing and sets its mode and mtime. Senders offer
 * directories after the files inside them, so the mtime set here is not disturbed by later writes.
 */
final class DirectoryEntries {
    private DirectoryEntries() {
    }

    static void apply(Path root, Path target, Frame.Offer offer) throws BadPathException, FileFailure {
        try {
            SafePaths.createParents(root, target);
            try {
                Files.createDirectory(target);
            } catch (FileAlreadyExistsException e) {
                BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isDirectory()) {
                    throw new FileFailure(ErrorCode.BAD_PATH, "'" + SafePaths.printable(offer.path())
                            + "' exists on the receiver and is not a directory");
                }
            }
            FileMetadata.apply(target, FileMetadata.permissions(offer.mode() | 0700),
                    FileTime.from(Instant.ofEpochSecond(offer.mtimeSeconds(), offer.mtimeNanos())));
        } catch (IOException e) {
            throw FileFailure.of("cannot create directory '" + SafePaths.printable(offer.path()) + "'", e);
        }
    }
}
