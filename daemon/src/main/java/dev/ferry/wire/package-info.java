/**
 * Wire protocol v1: the frames that cross a ferry connection and the one codec that turns them into
 * bytes and back ({@link dev.ferry.wire.FrameCodec}, whose class comment draws the layout).
 *
 * <p>Nothing else in ferry touches bytes on the socket. This package depends on nothing of ours; {@code push}
 * and {@code receive} call it through {@link dev.ferry.wire.FrameChannel}, which owns one socket's streams
 * (and is the seam where TLS will wrap the socket).
 */
package dev.ferry.wire;
