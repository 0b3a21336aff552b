/**
 * Wire protocol v1 and v2 (v2: compression negotiated at the handshake): the frames that cross a ferry connection, the codec that turns them into bytes and back, and
 * the channel that carries them over one socket. Nothing else in ferry touches bytes on the socket, and this
 * package depends on nothing of ours.
 *
 * <p>Callers hold a {@link dev.ferry.wire.FrameChannel} per connection and exchange {@link dev.ferry.wire.Frame}
 * records through it: {@code push} (the sending side, also driven by the daemon's targets) and {@code receive}
 * (the receiving side). The daemon's targets and planning read the receiver's listing as
 * {@link dev.ferry.wire.Frame.ListedEntry} values; {@code cli} builds {@link dev.ferry.wire.WireLimits};
 * {@code hash} and {@code index} name a {@link dev.ferry.wire.HashAlgorithm}. Inside, {@link dev.ferry.wire.FrameCodec} reads the 5-byte header and hands
 * each payload to the package-private class that draws and codes it (session, file, chunk and tree frames); the
 * order of the exchanges is in docs/PROTOCOL.md.
 */
package dev.ferry.wire;
