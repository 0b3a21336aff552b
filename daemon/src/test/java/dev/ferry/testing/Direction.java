package dev.ferry.testing;

/** The two byte streams of a proxied TCP connection. */
public enum Direction {
    /** Client → server: what the sender writes to the receiver. */
    UPSTREAM("client->server"),
    /** Server → client: the receiver's answers (CHALLENGE, NEED, ACK, ...). */
    DOWNSTREAM("server->client");

    private final String arrow;

    Direction(String arrow) {
        this.arrow = arrow;
    }

    @Override
    public String toString() {
        return arrow;
    }
}
