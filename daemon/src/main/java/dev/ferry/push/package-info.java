/**
 * The sending side: {@link dev.ferry.push.Pusher} walks a source, connects to a receiver and runs a
 * {@code PushSession}: OFFERs with chunk hashes go out as files are hashed, NEED answers say which chunks to send,
 * chunks stream out without waiting for each ACK (bounded by a byte window), NACKed chunks are re-sent, and COMMIT
 * follows the last ACK. One thread owns the session state; a reader thread and a hashing thread feed it events.
 * Called by {@code cli} (one-shot push) and later by {@code daemon}.
 */
package dev.ferry.push;
