package dev.ferry.receive;

/** A path from a peer that ferry refuses to write to; the message says which rule it broke. */
final class BadPathException extends Exception {
    BadPathException(String message) {
        super(message);
    }
}
