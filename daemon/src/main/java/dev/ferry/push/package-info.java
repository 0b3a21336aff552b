/**
 * The sending side. {@link dev.ferry.push.Pusher} (one-shot: walks a source with {@code SourceWalker}) and
 * {@link dev.ferry.push.PushConnection} (the daemon: one connection, many plans) run a {@code PushSession}, which
 * owns the connection ({@code PushLink}: handshake, reader thread, {@code LinkWatchdog}) and carries each plan out as
 * a fresh {@code PlanRun}: tree operations first ({@code TreeEditSender}), then each file offered in its mode
 * ({@code Offer}: inline, hashed, streamed, directory) as the hasher prepares it ({@code FilePreparer},
 * {@code HashAhead}); chunks stream out ({@code ChunkSender}) while the {@code ChunkWindow} has room, refused chunks
 * go out again after a backoff, and {@code InFlightFiles} asks for each file's COMMIT once every chunk is
 * acknowledged. The calling thread is the writer and owns all of that state; the reader, hasher and hash-ahead
 * threads feed it through one event queue. Parallel streams: a big file's owner ({@code Striping}) hands stripes of
 * its chunks to the other connections of a {@code StripeCrew}, each carried out by a {@code StripeRun} on its lane's
 * session and reported back as a {@code StripeResult}. Time comes from an injected {@code FerryClock}. Called by
 * {@code cli} and {@code daemon}.
 */
package dev.ferry.push;
