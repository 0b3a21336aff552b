/**
 * Durable storage for ferry's own files, shared by every package that writes them (journal, index, receive's
 * partial sidecars, push's digest cache): the CRC-framed record ({@link dev.ferry.disk.RecordFrame}) with its
 * writer and its torn-tail reader ({@link dev.ferry.disk.RecordWriter}, {@link dev.ferry.disk.RecordReader}), the
 * magic-and-version file header ({@link dev.ferry.disk.FileHeader}), the trailing CRC of a file written whole
 * ({@link dev.ferry.disk.CrcTrailer}), the write-temp-fsync-rename replace ({@link dev.ferry.disk.AtomicFile}) and
 * directory fsync ({@link dev.ferry.disk.Directories}). Each format keeps its own header fields, record types and
 * payloads, and draws its layout in its own class doc. And the receiver's way to the disk for paths a peer names:
 * {@link dev.ferry.disk.Beneath}, a folder root held open as a descriptor with every operation resolved beneath it
 * by the kernel in the call that uses it (openat2, or openat per segment), {@link dev.ferry.disk.FdChannel} over the
 * descriptors it opens and {@link dev.ferry.disk.TreeWalk} for whole trees; and the sender's scan of its source:
 * {@link dev.ferry.disk.OpenDirectory}, a directory read with getdents64 and one statx per entry; all through the FFM API
 * ({@code Syscalls}). Depends on nothing of ours.
 */
package dev.ferry.disk;
