// bench/TreeFloor.java - the floor of issue 15's benchmark (a) (tree_floor_bench.sh): the least a JVM program does to
// copy a tree of small files over a socket into an empty target the way a sync tool must: every file checked in
// flight, written under a temporary name beside its final one (rsync's way, not one shared folder), its mode and mtime
// set, renamed into place, the directories' mode and mtime set last, and the sender told only once all of it is done.
// Symlinks are made in place with their own mtime (tree_bench.sh's (b) has them). Not a sync tool and not a
// competitor: no comparison with the target, no deltas, no resume, no authentication, no special files. Whatever
// ferry's push of the same tree costs beyond this is ferry's own work.
//
//   java --enable-native-access=ALL-UNNAMED -cp DIR TreeFloor recv PORT [none|syncfs|fsync]
//                           receiver: serves connections on 127.0.0.1:PORT forever, one at a time
//   java -cp DIR TreeFloor send PORT SRC TARGET
//                           sender: SRC's tree -> the directory TARGET (a path as the receiver sees it; created,
//                           with its parents; meant to be new or empty)
//
// Durability (the receiver's, one mode per receiver):
//   none    no sync at all (rsync without --fsync).
//   syncfs  what ferry's receiver does for a group of small files (receive/CommitGroup): the temporary files of up to
//           BATCH (256) files are written and closed, one syncfs(2) of the target's file system, their renames, one
//           more syncfs; the last batch's second syncfs comes after the directories' mode and mtime are set.
//   fsync   fsync(2) of each temporary file before its rename (rsync --fsync); at the end, after the directories'
//           mode and mtime are set, one fsync of each directory (its renames and attributes) and of TARGET's parent.
//
// Wire format (big-endian, one tree per connection; the sender never waits for the receiver until the end):
//   connection: u32 MAGIC 'TFL1', u16 length + UTF-8 TARGET
//   then records, each starting with a u8 type:
//     DIR  1: u16 length + UTF-8 relative path ("" is SRC itself), u32 mode, u64 mtime (ns since the epoch)
//     FILE 2: u16 length + UTF-8 relative path, u32 mode, u64 mtime (ns), u64 size, size bytes, u32 CRC32C of them
//     LINK 3: u16 length + UTF-8 relative path, u32 mode (unused), u64 mtime (ns), u16 length + UTF-8 link text
//     END  0: u64 number of FILE records
//   reply (receiver -> sender, once): u8 status (0 every file is in place, 1 failed), u16 length + UTF-8 text.
// Records come in the walk's pre-order: a directory before anything in it, so the receiver creates each directory
// once (mode 0700 until the end) before its first file.
//
// Sender: a depth-first walk with DirectoryStream and one lstat per entry (Files.readAttributes "unix:mode,..."):
// Files.walkFileTree hands its visitor a BasicFileAttributes without the mode, so it would cost a second lstat per
// file. Headers and file bytes go into one direct 256 KiB buffer (FileChannel.read straight into it, the CRC32C
// computed over the bytes just read), written to the socket whenever it is full: pipelined, no per-file round trip.
// Receiver: one thread per connection reads the socket into one direct 1 MiB buffer and writes each file's bytes
// from it with write(2) (FFM: no copy into the Java heap); the CRC32C is checked before the file's rename (a mismatch
// fails the transfer). File system calls through FFM, one system call each: open(O_CREAT|O_EXCL, 0600) of
// ".NAME.N" beside NAME, write, fchmod, futimens (atime left alone: UTIME_OMIT), [fsync], close, rename; for
// directories mkdir and, at the end, chmod + utimensat in reverse pre-order (children before parents, so setting a
// child's mtime cannot move its parent's). The JDK's own setLastModifiedTime costs open + fstat + futimens + close.
// Exit status: sender 0 once the receiver has said every file is in place, 1 a failed transfer, 2 bad usage.
// Loopback benchmark tool only: it writes wherever the sender says, for whoever connects.
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

public final class TreeFloor {
    private static final int MAGIC = 0x54464c31;            // "TFL1"
    private static final byte END = 0, DIR = 1, FILE = 2, LINK = 3;
    private static final int MAX_PATH_BYTES = 4096;
    private static final int SEND_BUFFER_BYTES = 256 * 1024;
    private static final int RECEIVE_BUFFER_BYTES = 1 << 20;
    private static final int BATCH = 256;                   // syncfs mode: files per pair of syncfs

    enum Durability { NONE, SYNCFS, FSYNC }

    public static void main(String[] args) throws IOException {
        if ((args.length == 2 || args.length == 3) && args[0].equals("recv")) {
            Durability durability = args.length == 3 ? parseDurability(args[2]) : Durability.NONE;
            if (durability == null) {
                usage();
            }
            new Receiver(durability).serve(Integer.parseInt(args[1]));
        } else if (args.length == 4 && args[0].equals("send")) {
            System.exit(send(Integer.parseInt(args[1]), Path.of(args[2]), args[3]));
        } else {
            usage();
        }
    }

    private static Durability parseDurability(String s) {
        return switch (s) {
            case "none" -> Durability.NONE;
            case "syncfs" -> Durability.SYNCFS;
            case "fsync" -> Durability.FSYNC;
            default -> null;
        };
    }

    private static void usage() {
        System.err.println("usage: TreeFloor recv PORT [none|syncfs|fsync] | TreeFloor send PORT SRC TARGET");
        System.exit(2);
    }

    // ------------------------------------------------------------------------------------------------------------
    // sender

    private static int send(int port, Path src, String target) throws IOException {
        long t0 = System.nanoTime();
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Sender sender = new Sender(ch);
            sender.start(target);
            sender.directory(src, "");
            sender.end();
            ch.shutdownOutput();
            ByteBuffer status = readExactly(ch, 1 + 2);
            String text = new String(readExactly(ch, status.getShort(1) & 0xffff).array(), StandardCharsets.UTF_8);
            if (status.get(0) != 0) {
                System.err.println("TreeFloor: the receiver failed: " + text);
                return 1;
            }
            System.out.printf("TreeFloor: sent %d files (%d bytes) in %d directories in %.3f s; receiver: %s%n",
                    sender.files, sender.bytes, sender.directories, (System.nanoTime() - t0) / 1e9, text);
            return 0;
        } catch (IOException e) {
            System.err.println("TreeFloor: transfer failed: " + e);
            return 1;
        }
    }

    /** Streams one tree into a socket through one direct buffer. Runs on the sender's main thread. */
    private static final class Sender {
        private final SocketChannel ch;
        private final ByteBuffer out = ByteBuffer.allocateDirect(SEND_BUFFER_BYTES);
        private final CRC32C crc = new CRC32C();
        long files, bytes, directories;

        Sender(SocketChannel ch) {
            this.ch = ch;
        }

        void start(String target) throws IOException {
            byte[] name = target.getBytes(StandardCharsets.UTF_8);
            room(4 + 2 + name.length);
            out.putInt(MAGIC).putShort((short) name.length).put(name);
        }

        // one DIR record, then every entry of dir (depth first); rel is dir's path below SRC ("" for SRC)
        void directory(Path dir, String rel) throws IOException {
            Map<String, Object> attrs = Files.readAttributes(dir, "unix:mode,lastModifiedTime,isDirectory",
                    LinkOption.NOFOLLOW_LINKS);
            if (!(Boolean) attrs.get("isDirectory")) {
                throw new IOException(dir + " is not a directory");
            }
            header(DIR, rel, (Integer) attrs.get("mode"), (FileTime) attrs.get("lastModifiedTime"), 0);
            directories++;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = rel.isEmpty() ? entry.getFileName().toString() : rel + "/" + entry.getFileName();
                    Map<String, Object> a = Files.readAttributes(entry,
                            "unix:mode,lastModifiedTime,size,isDirectory,isRegularFile,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
                    if ((Boolean) a.get("isDirectory")) {
                        directory(entry, name);
                    } else if ((Boolean) a.get("isRegularFile")) {
                        file(entry, name, (Integer) a.get("mode"), (FileTime) a.get("lastModifiedTime"),
                                (Long) a.get("size"));
                    } else if ((Boolean) a.get("isSymbolicLink")) {
                        header(LINK, name, 0, (FileTime) a.get("lastModifiedTime"), 0);
                        byte[] text = Files.readSymbolicLink(entry).toString().getBytes(StandardCharsets.UTF_8);
                        room(2 + text.length);
                        out.putShort((short) text.length).put(text);
                    } else {
                        throw new IOException(entry + ": only regular files, directories and symlinks are carried");
                    }
                }
            }
        }

        private void file(Path path, String rel, int mode, FileTime mtime, long size) throws IOException {
            header(FILE, rel, mode, mtime, size);
            crc.reset();
            if (size > 0) {
                try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                    long left = size;
                    while (left > 0) {
                        if (!out.hasRemaining()) {
                            flush();
                        }
                        int start = out.position();
                        out.limit((int) Math.min(out.capacity(), start + left));
                        int n = in.read(out);
                        out.limit(out.capacity());
                        if (n < 0) {
                            throw new IOException(path + " ended " + left + " bytes short of its size " + size);
                        }
                        crc.update(out.duplicate().position(start).limit(start + n));
                        left -= n;
                    }
                }
            }
            room(4);
            out.putInt((int) crc.getValue());
            files++;
            bytes += size;
        }

        private void header(byte type, String rel, int mode, FileTime mtime, long size) throws IOException {
            byte[] name = rel.getBytes(StandardCharsets.UTF_8);
            if (name.length > MAX_PATH_BYTES) {
                throw new IOException("path of " + name.length + " bytes > " + MAX_PATH_BYTES + ": " + rel);
            }
            room(1 + 2 + name.length + 4 + 8 + 8);
            out.put(type).putShort((short) name.length).put(name).putInt(mode).putLong(mtime.to(TimeUnit.NANOSECONDS));
            if (type == FILE) {
                out.putLong(size);
            }
        }

        void end() throws IOException {
            room(1 + 8);
            out.put(END).putLong(files);
            flush();
        }

        private void room(int n) throws IOException {
            if (out.remaining() < n) {
                flush();
            }
        }

        private void flush() throws IOException {
            out.flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            out.clear();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // receiver

    /** Serves one connection at a time on the thread that calls {@link #serve}. */
    private static final class Receiver {
        private final Durability durability;
        private final ByteBuffer in = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
        private final MemorySegment inSegment = MemorySegment.ofBuffer(in);   // the whole buffer, for write(2)
        private final CRC32C crc = new CRC32C();
        private SocketChannel ch;

        Receiver(Durability durability) {
            this.durability = durability;
        }

        void serve(int port) throws IOException {
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress("127.0.0.1", port));
                System.err.println("TreeFloor: receiver listening on 127.0.0.1:" + port + ", durability "
                        + durability.name().toLowerCase());
                while (true) {
                    try (SocketChannel accepted = server.accept()) {
                        accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        ch = accepted;
                        in.clear().limit(0);
                        String done;
                        try {
                            done = receive();
                        } catch (IOException | RuntimeException e) {
                            reply(1, e.toString());
                            throw e;
                        }
                        reply(0, done);
                        System.err.println("TreeFloor: " + done);   // after the reply: not on the sender's clock
                    } catch (IOException | RuntimeException e) {
                        System.err.println("TreeFloor: connection failed: " + e);
                    }
                }
            }
        }

        private void reply(int status, String text) {
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            int length = Math.min(t.length, 0xffff);
            try {
                writeFully(ch, ByteBuffer.allocate(1 + 2 + length).put((byte) status).putShort((short) length)
                        .put(t, 0, length).flip());
            } catch (IOException e) {
                System.err.println("TreeFloor: cannot reply: " + e);
            }
        }

        // one tree; returns a log line
        private String receive() throws IOException {
            need(4 + 2);
            if (in.getInt() != MAGIC) {
                throw new IOException("not a TreeFloor sender");
            }
            String target = utf8(in.getShort() & 0xffff);
            Files.createDirectories(Path.of(target).toAbsolutePath().getParent());
            try (Arena arena = Arena.ofConfined(); Tree tree = new Tree(target, durability, arena)) {
                long files = 0, bytes = 0;
                while (true) {
                    need(1);
                    byte type = in.get();
                    if (type == END) {
                        need(8);
                        long announced = in.getLong();
                        if (announced != files) {
                            throw new IOException("END says " + announced + " files, " + files + " came");
                        }
                        break;
                    }
                    need(2);
                    String rel = checkedPath(utf8(in.getShort() & 0xffff));
                    need(4 + 8);
                    int mode = in.getInt();
                    long mtimeNs = in.getLong();
                    if (type == DIR) {
                        tree.directory(rel, mode, mtimeNs);
                    } else if (type == LINK) {
                        need(2);
                        int length = in.getShort() & 0xffff;
                        tree.symlink(rel, utf8(length), mtimeNs);
                    } else if (type == FILE) {
                        need(8);
                        long size = in.getLong();
                        int fd = tree.openTemporary(rel);
                        try {
                            copyChecked(fd, size, rel);
                        } catch (IOException | RuntimeException e) {
                            Native.close(fd);
                            throw e;
                        }
                        tree.finishFile(fd, rel, mode, mtimeNs);
                        files++;
                        bytes += size;
                    } else {
                        throw new IOException("bad record type " + type);
                    }
                }
                tree.finish();
                return files + " files (" + bytes + " bytes) in " + tree.directoryCount() + " directories in place in "
                        + target + " (" + durability.name().toLowerCase() + ")";
            }
        }

        // size bytes from the socket into fd, then the CRC32C that follows them checked
        private void copyChecked(int fd, long size, String rel) throws IOException {
            crc.reset();
            long left = size;
            while (left > 0) {
                if (!in.hasRemaining()) {
                    fill();
                }
                int n = (int) Math.min(in.remaining(), left);
                int start = in.position();
                crc.update(in.duplicate().limit(start + n));
                Native.writeFully(fd, inSegment.asSlice(start, n), rel);
                in.position(start + n);
                left -= n;
            }
            need(4);
            int expected = in.getInt();
            if (expected != (int) crc.getValue()) {
                throw new IOException(String.format("CRC32C mismatch in %s: sent %08x, received %08x", rel, expected,
                        (int) crc.getValue()));
            }
        }

        // at least n (<= the buffer's capacity) unread bytes in the buffer
        private void need(int n) throws IOException {
            if (in.remaining() >= n) {
                return;
            }
            in.compact();
            while (in.position() < n) {
                if (ch.read(in) < 0) {
                    throw new IOException("EOF in the middle of a record");
                }
            }
            in.flip();
        }

        // the buffer was empty: at least one more byte
        private void fill() throws IOException {
            in.clear();
            if (ch.read(in) < 0) {
                throw new IOException("EOF inside a file's bytes");
            }
            in.flip();
        }

        private String utf8(int length) throws IOException {
            if (length > MAX_PATH_BYTES) {
                throw new IOException("path length " + length + " > " + MAX_PATH_BYTES);
            }
            need(length);
            byte[] b = new byte[length];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    // relative, no empty, "." or ".." segment, no NUL: the little a loopback tool checks
    private static String checkedPath(String rel) throws IOException {
        if (rel.isEmpty()) {
            return rel;
        }
        for (String segment : rel.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
                throw new IOException("bad path: " + rel);
            }
        }
        return rel;
    }

    /**
     * The target tree of one connection: its directories (attributes set at the end), the temporary files waiting for
     * their rename (syncfs mode), the syncs of its durability mode. Owned by the receiver's thread.
     */
    private static final class Tree implements AutoCloseable {
        private record Directory(String path, int mode, long mtimeNs) {}

        private record Pending(String temporary, String name) {}

        private final String root;
        private final Durability durability;
        private final MemorySegment scratch;                // C strings and timespecs of one call at a time
        private final List<Directory> directories = new ArrayList<>();   // pre-order
        private final List<Pending> pending = new ArrayList<>();
        private int rootFd = -1;                           // syncfs mode: the target, for syncfs(2)
        private long temporaries;
        private String temporary;                          // the file being written

        Tree(String root, Durability durability, Arena arena) {
            this.root = root;
            this.durability = durability;
            this.scratch = arena.allocate(2 * (MAX_PATH_BYTES + 256) + 64, 8);
        }

        int directoryCount() {
            return directories.size();
        }

        private String absolute(String rel) {
            return rel.isEmpty() ? root : root + "/" + rel;
        }

        // a bump allocator over the scratch segment: what one call needs (two paths at most, or one and a timespec)
        private SegmentAllocator scratch() {
            return SegmentAllocator.slicingAllocator(scratch);
        }

        void directory(String rel, int mode, long mtimeNs) throws IOException {
            String path = absolute(rel);
            Native.mkdir(scratch().allocateFrom(path), 0700, path, rel.isEmpty());
            directories.add(new Directory(path, mode, mtimeNs));
            if (rel.isEmpty() && durability == Durability.SYNCFS) {
                rootFd = Native.openDirectory(scratch().allocateFrom(path), path);
            }
        }

        // a symlink made in place (as rsync makes one), its own mtime set (not its target's)
        void symlink(String rel, String text, long mtimeNs) throws IOException {
            String path = absolute(rel);
            SegmentAllocator a = scratch();
            Native.symlink(a.allocateFrom(text), a.allocateFrom(path), path);
            Native.lutimens(a.allocateFrom(path), Native.times(mtimeNs, a), path);
        }

        // creates ".NAME.N" beside NAME (as rsync's ".NAME.XXXXXX"); returns its descriptor
        int openTemporary(String rel) throws IOException {
            int slash = rel.lastIndexOf('/');
            temporary = absolute(rel.substring(0, slash + 1) + "." + rel.substring(slash + 1) + "."
                    + Long.toHexString(temporaries++));
            return Native.create(scratch().allocateFrom(temporary), temporary);
        }

        // the bytes are written: mode, mtime, [fsync], close, then the rename now or with its batch
        void finishFile(int fd, String rel, int mode, long mtimeNs) throws IOException {
            try {
                Native.fchmod(fd, mode & 07777, rel);
                Native.futimens(fd, Native.times(mtimeNs, scratch()), rel);
                if (durability == Durability.FSYNC) {
                    Native.fsync(fd, rel);
                }
            } finally {
                Native.close(fd);
            }
            if (durability == Durability.SYNCFS) {
                pending.add(new Pending(temporary, absolute(rel)));
                if (pending.size() == BATCH) {
                    renameBatch(true);
                }
            } else {
                rename(temporary, absolute(rel));
            }
        }

        private void rename(String from, String to) throws IOException {
            SegmentAllocator a = scratch();
            Native.rename(a.allocateFrom(from), a.allocateFrom(to), to);
        }

        // syncfs mode: one syncfs for the batch's data, its renames, [one syncfs for the renames]
        private void renameBatch(boolean syncAfter) throws IOException {
            if (!pending.isEmpty()) {
                Native.syncfs(rootFd, root);
                for (Pending p : pending) {
                    rename(p.temporary(), p.name());
                }
                pending.clear();
            }
            if (syncAfter) {
                Native.syncfs(rootFd, root);
            }
        }

        // the last renames, every directory's mode and mtime (children first), the last syncs
        void finish() throws IOException {
            if (durability == Durability.SYNCFS) {
                renameBatch(false);
            }
            for (int i = directories.size() - 1; i >= 0; i--) {
                Directory d = directories.get(i);
                SegmentAllocator a = scratch();
                MemorySegment path = a.allocateFrom(d.path());
                Native.chmod(path, d.mode() & 07777, d.path());
                Native.utimensat(path, Native.times(d.mtimeNs(), a), d.path());
            }
            switch (durability) {
                case NONE -> { }
                case SYNCFS -> Native.syncfs(rootFd, root);
                case FSYNC -> {
                    for (Directory d : directories) {
                        fsyncDirectory(d.path());
                    }
                    fsyncDirectory(Path.of(root).toAbsolutePath().getParent().toString());
                }
            }
        }

        private void fsyncDirectory(String path) throws IOException {
            int fd = Native.openDirectory(scratch().allocateFrom(path), path);
            try {
                Native.fsync(fd, path);
            } finally {
                Native.close(fd);
            }
        }

        @Override
        public void close() {
            if (rootFd >= 0) {
                Native.close(rootFd);
            }
        }
    }

    /** libc through FFM: one system call per method, errno in the exception. Any thread. */
    private static final class Native {
        private static final int O_WRONLY = 01, O_CREAT = 0100, O_EXCL = 0200, O_DIRECTORY = 0200000,
                O_CLOEXEC = 02000000;
        private static final int AT_FDCWD = -100;
        private static final long UTIME_OMIT = (1L << 30) - 2;
        private static final int EEXIST = 17;
        private static final Linker LINKER = Linker.nativeLinker();
        private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final MethodHandle OPEN = call("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        private static final MethodHandle WRITE = call("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        private static final MethodHandle FCHMOD = call("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        private static final MethodHandle FUTIMENS = call("futimens", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        private static final MethodHandle FSYNC = call("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        private static final MethodHandle SYNCFS = call("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        private static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        private static final MethodHandle RENAME = call("rename", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        private static final MethodHandle MKDIR = call("mkdir", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        private static final MethodHandle CHMOD = call("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        private static final MethodHandle UTIMENSAT = call("utimensat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        // errno of the last call; one receiver thread makes every call
        private static final MemorySegment STATE = Arena.global().allocate(CAPTURE);

        private static MethodHandle call(String name, FunctionDescriptor descriptor, Linker.Option... more) {
            MemorySegment symbol = LINKER.defaultLookup().find(name)
                    .orElseThrow(() -> new IllegalStateException("libc has no " + name));
            Linker.Option[] options = new Linker.Option[more.length + 1];
            options[0] = Linker.Option.captureCallState("errno");
            System.arraycopy(more, 0, options, 1, more.length);
            return LINKER.downcallHandle(symbol, descriptor, options);
        }

        private static IOException failure(String what, String path) {
            return new IOException(what + " " + path + ": errno " + (int) ERRNO.get(STATE, 0L));
        }

        private static long check(long result, String what, String path) throws IOException {
            if (result < 0) {
                throw failure(what, path);
            }
            return result;
        }

        static int create(MemorySegment path, String name) throws IOException {
            try {
                return (int) check((int) OPEN.invokeExact(STATE, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600),
                        "open", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static int openDirectory(MemorySegment path, String name) throws IOException {
            try {
                return (int) check((int) OPEN.invokeExact(STATE, path, O_DIRECTORY | O_CLOEXEC, 0), "open", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static void writeFully(int fd, MemorySegment data, String name) throws IOException {
            try {
                long done = 0;
                while (done < data.byteSize()) {
                    done += check((long) WRITE.invokeExact(STATE, fd, data.asSlice(done), data.byteSize() - done),
                            "write", name);
                }
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static void fchmod(int fd, int mode, String name) throws IOException {
            try {
                check((int) FCHMOD.invokeExact(STATE, fd, mode), "fchmod", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static void futimens(int fd, MemorySegment times, String name) throws IOException {
            try {
                check((int) FUTIMENS.invokeExact(STATE, fd, times), "futimens", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        private static final MethodHandle SYMLINK = call("symlink", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        private static final int AT_SYMLINK_NOFOLLOW = 0x100;

        static void symlink(MemorySegment text, MemorySegment path, String name) throws IOException {
            try {
                check((int) SYMLINK.invokeExact(STATE, text, path), "symlink", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        // the mtime of the link itself
        static void lutimens(MemorySegment path, MemorySegment times, String name) throws IOException {
            try {
                check((int) UTIMENSAT.invokeExact(STATE, AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), "utimensat", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static void utimensat(MemorySegment path, MemorySegment times, String name) throws IOException {
            try {
                check((int) UTIMENSAT.invokeExact(STATE, AT_FDCWD, path, times, 0), "utimensat", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        // struct timespec[2]: atime left as it is, mtime as given
        static MemorySegment times(long mtimeNs, SegmentAllocator scratch) {
            MemorySegment t = scratch.allocate(JAVA_LONG, 4);
            t.setAtIndex(JAVA_LONG, 0, 0);
            t.setAtIndex(JAVA_LONG, 1, UTIME_OMIT);
            t.setAtIndex(JAVA_LONG, 2, Math.floorDiv(mtimeNs, 1_000_000_000L));
            t.setAtIndex(JAVA_LONG, 3, Math.floorMod(mtimeNs, 1_000_000_000L));
            return t;
        }

        static void fsync(int fd, String name) throws IOException {
            try {
                check((int) FSYNC.invokeExact(STATE, fd), "fsync", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static void syncfs(int fd, String name) throws IOException {
            try {
                check((int) SYNCFS.invokeExact(STATE, fd), "syncfs", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static void close(int fd) {
            try {
                int ignored = (int) CLOSE.invokeExact(STATE, fd);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static void rename(MemorySegment from, MemorySegment to, String name) throws IOException {
            try {
                check((int) RENAME.invokeExact(STATE, from, to), "rename", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        // mkdir; an existing directory is accepted for the target itself (it may be there, empty)
        static void mkdir(MemorySegment path, int mode, String name, boolean mayExist) throws IOException {
            try {
                int result = (int) MKDIR.invokeExact(STATE, path, mode);
                if (result < 0 && !(mayExist && (int) ERRNO.get(STATE, 0L) == EEXIST)) {
                    throw failure("mkdir", name);
                }
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static void chmod(MemorySegment path, int mode, String name) throws IOException {
            try {
                check((int) CHMOD.invokeExact(STATE, path, mode), "chmod", name);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    private static ByteBuffer readExactly(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("EOF after " + b.position() + " of " + n + " reply bytes");
            }
        }
        return b.flip();
    }

    private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
