package dev.ferry.disk;

/**
 * Thrown by a {@link RecordReader.Handler} for a record whose frame and CRC are intact but whose payload its format
 * refuses (a field out of range, bytes left over, a record out of place): written by a bug or a newer build. The
 * read ends before that record, as it does at a torn one.
 */
public final class BadRecordException extends Exception {
    public BadRecordException(String message) {
        super(message);
    }
}
