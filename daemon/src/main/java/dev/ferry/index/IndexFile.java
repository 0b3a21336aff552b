package dev.ferry.index;

import dev.ferry.disk.AtomicFile;
import dev.ferry.disk.FileHeader;
import dev.ferry.disk.RecordFrame;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * The on-disk layout of a {@link SourceIndex} and the only code that reads or writes it. A file is a snapshot,
 * written whole to {@code NAME.tmp}, fsynced, renamed over {@code NAME} and the directory fsynced; so a reader
 * never sees a half-written file unless the disk lies, and recovery only has to stop at the first bad record
 * and keep what came before. All integers are big-endian.
 *
 * <pre>
 * File header (8 bytes)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic (u32) "FIDX"                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    format version (u16) = 1   |        reserved (u16) = 0     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Record (9 + length bytes), repeated, in path order, the END record last: a {@link RecordFrame}
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               length (u32): payload bytes only                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   type (u8)   |   CRC32C (u32) of the type byte + payload ... |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ... CRC32C    |              payload (length bytes) ...       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The CRC covers the type byte as well as the payload, so a flipped type cannot turn a file into a directory.
 * Payloads ({@code str} = u16 byte count + UTF-8):
 * <pre>
 * 0x01 FILE       common | u8 hashAlgorithm (0 = not hashed)
 *                 [ | u32 chunkSize | u32 chunkCount | bytes[d] fileHash | bytes[chunkCount*d] chunkHashes ]
 * 0x02 DIRECTORY  common
 * 0x03 SYMLINK    common | str linkTarget
 * 0x7F END        u32 entryCount                   (a file without it was cut short)
 * common          str path | u64 size | i64 mtimeSeconds | u32 mtimeNanos | u16 mode | u64 inode
 * </pre>
 * A reader rejects a record whose length exceeds the bytes remaining, whose CRC does not match, whose type is
 * unknown or whose payload is not consumed exactly; it keeps the records before it.
 *
 * <p>The header is a {@link FileHeader}. {@link IndexEncoder} writes this layout and {@link IndexDecoder} reads it,
 * both through the {@code dev.ferry.disk} kit, which also replaces the file ({@link AtomicFile}); this class owns
 * the constants and the file handling around them. Called only by {@link SourceIndex}, on its owner's thread.
 */
final class IndexFile {
    static final int MAGIC = 0x46494458; // "FIDX"
    static final int VERSION = 1;
    static final FileHeader HEADER = new FileHeader(MAGIC, VERSION, "ferry source index");
    static final int MAGIC_OFFSET = FileHeader.MAGIC_OFFSET;
    static final int VERSION_OFFSET = FileHeader.VERSION_OFFSET;
    static final int RESERVED_OFFSET = FileHeader.RESERVED_OFFSET;
    static final int HEADER_LENGTH = FileHeader.LENGTH;

    static final int LENGTH_OFFSET = RecordFrame.LENGTH_OFFSET;
    static final int TYPE_OFFSET = RecordFrame.TYPE_OFFSET;
    static final int CRC_OFFSET = RecordFrame.CRC_OFFSET;
    static final int RECORD_HEADER_LENGTH = RecordFrame.HEADER_LENGTH;
    /** No limit of the format's own (a file's record grows with its chunk count): what one buffer can hold. */
    static final int MAX_RECORD_LENGTH = Integer.MAX_VALUE - RECORD_HEADER_LENGTH;

    static final byte FILE = 0x01, DIRECTORY = 0x02, SYMLINK = 0x03, END = 0x7F;
    static final int COMMON_LENGTH = 2 + 8 + 8 + 4 + 2 + 8; // without the path bytes
    static final int MAX_STRING_BYTES = 0xFFFF;

    static final int BUFFER_BYTES = 256 * 1024;

    /**
     * What a read recovered.
     *
     * @param entries       how many entries were handed over
     * @param problem       null if the file was whole; else what was wrong, for the log
     * @param problemOffset byte offset of the header or record that was wrong (-1 if none)
     */
    record Contents(int entries, String problem, long problemOffset) {
    }

    private IndexFile() {
    }

    // ---- writing ----------------------------------------------------------------------------------------

    /** Replaces {@code file} atomically with a snapshot of {@code entries}, creating its parent folders. */
    static void write(Path file, Collection<IndexEntry> entries) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFile.replace(file, tempFile(file), AtomicFile.Sync.FSYNC, ch -> {
            IndexEncoder out = new IndexEncoder(ch);
            out.header();
            for (IndexEntry e : entries) {
                out.entry(e);
            }
            out.end(entries.size());
            out.flush();
        });
    }

    static Path tempFile(Path file) {
        return AtomicFile.tempBeside(file);
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /**
     * Hands every intact record, in file order, to {@code sink}, up to the first damaged one. Throws only if the
     * file cannot be read at all (a missing file included); damage is reported in {@link Contents#problem()}.
     */
    static Contents read(Path file, Consumer<IndexEntry> sink) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new IndexDecoder(ch, sink).run();
        }
    }
}
