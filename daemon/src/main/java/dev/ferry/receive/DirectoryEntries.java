package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;

/**
 * Applies a directory OFFER: creates the directory if missing and sets its mode and mtime. Senders offer
 * directories after the files inside them, so the mtime set here is not disturbed by later writes.
 */
final class DirectoryEntries {
    private DirectoryEntries() {
    }

    static void apply(Beneath folder, Frame.Offer offer) throws FileFailure {
        String rel = offer.path();
        try {
            folder.mkdirs(SafePaths.parent(rel));
            try {
                folder.mkdir(rel);
            } catch (FileAlreadyExistsException e) {
                throw new FileFailure(ErrorCode.BAD_PATH, "'" + SafePaths.printable(rel) + "' exists on the receiver and is not a directory");
            }
            FileMetadata.apply(folder, rel, offer.mode() | 0700, offer.mtimeSeconds(), offer.mtimeNanos());
        } catch (IOException e) {
            throw FileFailure.of("cannot create directory '" + SafePaths.printable(rel) + "'", e);
        }
    }
}
