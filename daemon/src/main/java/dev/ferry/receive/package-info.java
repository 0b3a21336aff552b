/**
 * The receiving side: {@link dev.ferry.receive.Receiver} listens and hands each accepted connection to its own
 * virtual thread running a {@code ReceiverSession}: the {@code ReceiverHandshake} authenticates the peer, then the
 * session dispatches each frame to the part whose job it is — {@code FileFrameHandler} turns OFFER/HASHES/CHUNK/COMMIT
 * into files ({@code IncomingFile}, with its {@code AckBatcher} and {@code CommitGroup}), {@code JoinedStreams}
 * writes the chunks of a JOIN into a file another session SHAREd ({@code SharedFiles}, {@code SharedFile}),
 * {@code TreeOpHandler} answers LIST/DELETE/RENAME/SYMLINK. Chunks are verified (CRC32C, then the strong hash) and written into a partial
 * file under {@code <root>/.ferry/partial/} (named by {@code PartialPaths}), and a file reaches its final path only
 * by an atomic rename after the whole-file hash checks out. Chunks the folder already holds are copied, each one
 * hashed again, instead of asked for ({@code LocalReuse}: the final path's older version, an earlier attempt's
 * partial file, any held file at any index through the folder's {@code ChunkIndex}, other paths' partial files).
 * Every disk operation goes through the session's
 * {@link dev.ferry.disk.Beneath} of the folder root, so that no path, checked or not, can lead outside it. Parts report to their owner through small interfaces,
 * never by a reference back. Called by {@code cli} and {@code daemon}; uses {@code wire}, {@code hash},
 * {@code auth}, {@code disk}, {@code path} and {@code time}.
 */
package dev.ferry.receive;
