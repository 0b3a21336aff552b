// bench/PipeFloor.java - the reference tools "java-pipe-floor" and "java-pipe-floor-checked" of resume_bench.sh: the
// least any JVM program does to complete an interrupted push on this machine. Not a sync tool and not a competitor: no
// protocol, no fsync, no temp file, no rename, no authentication. It starts a JVM and copies the rest of the file
// file -> socket -> file with direct buffers; whatever ferry's completion push costs beyond this is ferry's own work,
// and a ratio this program cannot reach is below what a Java implementation can do here.
//
//   java -cp DIR PipeFloor recv PORT                        receiver: serves connections on 127.0.0.1:PORT forever
//   java -cp DIR PipeFloor send PORT SRC DSTPATH OFFSET     sender: SRC's bytes from OFFSET to the end -> DSTPATH
//   java -cp DIR PipeFloor send-checked PORT SRC DSTPATH OFFSET
//                                                           the same, with the checks ferry's completion must make
//   java -cp DIR:ferry.jar PipeFloor recv-tls PORT RECEIVER_IDENTITY_DIR SENDER_ID
//   java -cp DIR:ferry.jar PipeFloor send-tls PORT SRC DSTPATH OFFSET SENDER_IDENTITY_DIR RECEIVER_ID
//                                                           send's bare copy over TLS 1.3 (the floor of tls_bench.sh)
//
// send moves bare bytes: no checksums, no hashing. send-checked adds the per-chunk checks the issue asks of ferry (a
// CRC32C in flight, a strong hash per chunk), and nothing else: the sender sends each block of up to 1 MiB after an
// 8-byte block header (u32 length, u32 CRC32C of the block, computed by the sender with java.util.zip.CRC32C over
// the direct buffer); the receiver reads each block whole, checks its CRC32C (a mismatch fails the transfer) and
// hashes it with XXH3-128 using ferry's own ChunkDigester (the receiver's classpath holds ferry.jar), as ferry's
// receiver checks a chunk against the hash in the sender's list. The sender hashes nothing: ferry's completion push
// takes its hash list from its digest cache. The receiver folds the hashes into a value it logs, so none is dropped.
//
// Wire format (one transfer per connection): header = u64 offset, u32 path length, u8 mode (0 bare, 1 checked),
// that many bytes of UTF-8 path (big-endian, as ByteBuffer writes them); then the file's bytes from offset to the end
// (checked: in blocks as above); the sender shuts down its output (EOF); the receiver replies one byte (0) once every
// byte is written, and closes.
//
// Receiver: accepts one connection at a time; opens DSTPATH with CREATE + WRITE (no truncation: the kept prefix
// stays) and writes every byte that arrives at offset, offset + n, ... with FileChannel.write(buf, position), at most
// 128 KiB per write (as ferry's receiver: bigger writes of fresh page cache are slow on this VM class), from
// ONE direct 1 MiB ByteBuffer (filled by SocketChannel.read; reused for every connection). It closes the file
// without fsync (the data is in the page cache, as with ferry --durability none and rsync without --fsync), then
// replies. A failed connection gets no reply (the sender then exits 1) and the receiver goes on with the next one.
// Sender: FileChannel.read(buf, position) into a direct 1 MiB ByteBuffer + SocketChannel.write until EOF,
// shutdownOutput, waits for the reply byte; prints "PipeFloor: sent N bytes ..." on stdout; exit 0, 1 when the
// transfer failed, 2 bad usage. Both sides set TCP_NODELAY (as ferry's FrameChannel does).
//
// Why read/write with a direct buffer, not FileChannel.transferTo/transferFrom (sendfile/splice, no copy into the
// JVM): a sync tool that verifies what it moves must see every byte in user space to hash it; copying it through
// one direct buffer per side is the least such a program does. Blocking channels, one thread per side: nothing to
// schedule. Run by resume_bench.sh with the JVM flags ferry uses (bin/lib/jdk.sh FERRY_JVM_FLAGS:
// -XX:UserThreadWaitAttemptsAtExit=0 and the memory flags; the sender also -XX:TieredStopAtLevel=1, as ferry's push), compiled once per
// invocation with javac (the single-file source launcher would compile it inside every timed run).
//
// TLS mode (recv-tls / send-tls, tls_bench.sh): the bare transfer of send, through ferry's own TLS: the contexts of
// dev.ferry.auth.Tls (TLS 1.3 only, AES-128-GCM first, both sides present ferry identities, the sender pins the
// receiver's ID) and its accept/connect (handshake at once); the receiver drops, without a reply, a sender whose key is
// not SENDER_ID, as ferry's receiver drops one that no --allow names. The same header (mode 0) and reply byte inside
// the TLS stream; the sender's EOF is TLS 1.3's half-close (SSLSocket.shutdownOutput sends close_notify, the receiver
// can still answer). An SSLSocket has no channel: both sides move bytes through its streams and one heap 1 MiB array
// each (FileChannel copies it through the JDK's cached direct buffer, the copy a channel saves the plain mode). The
// receiver fills its array (an SSLSocket read returns at most one 16 KiB record) before writing it in 128 KiB pieces.
// Loopback benchmark tool only: it writes wherever the header says, to whoever connects (TLS: whoever holds the key).
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import dev.ferry.auth.Identity;
import dev.ferry.auth.PeerId;
import dev.ferry.auth.Tls;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.wire.HashAlgorithm;

public final class PipeFloor {
    private static final int BUFFER_BYTES = 1 << 20;   // 1 MiB, one per side
    private static final int WRITE_PIECE_BYTES = 128 * 1024;   // the most one file write hands the kernel
    private static final int HEADER_BYTES = 8 + 4 + 1; // u64 offset, u32 path length, u8 mode
    private static final int BLOCK_HEADER_BYTES = 4 + 4; // checked mode: u32 length, u32 CRC32C
    private static final int MAX_PATH_BYTES = 4096;

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("recv")) {
            recv(Integer.parseInt(args[1]));
        } else if (args.length == 5 && (args[0].equals("send") || args[0].equals("send-checked"))) {
            System.exit(send(Integer.parseInt(args[1]), Path.of(args[2]), args[3], Long.parseLong(args[4]),
                    args[0].equals("send-checked")));
        } else if (args.length == 4 && args[0].equals("recv-tls")) {
            recvTls(Integer.parseInt(args[1]), Path.of(args[2]), PeerId.parse(args[3]));
        } else if (args.length == 7 && args[0].equals("send-tls")) {
            System.exit(sendTls(Integer.parseInt(args[1]), Path.of(args[2]), args[3], Long.parseLong(args[4]),
                    Path.of(args[5]), PeerId.parse(args[6])));
        } else {
            System.err.println("usage: PipeFloor recv PORT | PipeFloor send|send-checked PORT SRC DSTPATH OFFSET\n"
                    + "       PipeFloor recv-tls PORT RECEIVER_IDENTITY_DIR SENDER_ID\n"
                    + "       PipeFloor send-tls PORT SRC DSTPATH OFFSET SENDER_IDENTITY_DIR RECEIVER_ID");
            System.exit(2);
        }
    }

    private static void recv(int port) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", port));
            System.err.println("PipeFloor: receiver listening on 127.0.0.1:" + port);
            while (true) {
                try (SocketChannel ch = server.accept()) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    String done = serve(ch, buf);
                    System.err.println("PipeFloor: " + done);   // after the reply: not on the sender's clock
                } catch (IOException | RuntimeException e) {
                    System.err.println("PipeFloor: connection failed, no reply sent: " + e);
                }
            }
        }
    }

    // serve one transfer; returns a log line
    private static String serve(SocketChannel ch, ByteBuffer buf) throws IOException {
        ByteBuffer head = readExactly(ch, HEADER_BYTES);   // exactly the header: no data byte is read into it
        long offset = head.getLong();
        int pathLength = head.getInt();
        int mode = head.get();
        checkHeader(offset, pathLength, mode, 1);
        Path path = Path.of(new String(readExactly(ch, pathLength).array(), StandardCharsets.UTF_8));
        long end;
        String note = "";
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (mode == 1) {
                long[] endAndHashes = receiveChecked(ch, buf, file, offset);
                end = endAndHashes[0];
                note = String.format(" (checked; hashes folded: %016x)", endAndHashes[1]);
            } else {
                end = receiveBare(ch, buf, file, offset);
            }
        }                                                   // closed, not forced: no fsync
        writeFully(ch, ByteBuffer.wrap(new byte[] {0}));
        return "wrote " + (end - offset) + " bytes at offset " + offset + " into " + path + note;
    }

    private static void checkHeader(long offset, int pathLength, int mode, int maxMode) throws IOException {
        if (offset < 0 || pathLength <= 0 || pathLength > MAX_PATH_BYTES || mode < 0 || mode > maxMode) {
            throw new IOException("bad header: offset " + offset + ", path length " + pathLength + ", mode " + mode);
        }
    }

    // one method per mode: one receiver serves both, in turns, and each loop keeps its own compiled code

    // every byte until EOF, written at offset, offset + n, ...; returns the end position
    private static long receiveBare(SocketChannel ch, ByteBuffer buf, FileChannel file, long offset) throws IOException {
        long position = offset;
        while (true) {
            buf.clear();
            if (ch.read(buf) < 0) {
                return position;                            // EOF: the sender has sent everything
            }
            buf.flip();
            position = writeInPieces(file, buf, position);
        }
    }

    // blocks until EOF, each checked (CRC32C) and hashed (XXH3-128) before it is written; returns {end position,
    // the hashes folded with XOR}
    private static long[] receiveChecked(SocketChannel ch, ByteBuffer buf, FileChannel file, long offset) throws IOException {
        ChunkDigester digester = ChunkDigester.of(HashAlgorithm.XXH3_128);
        CRC32C crc = new CRC32C();
        byte[] digest = new byte[16];
        ByteBuffer block = ByteBuffer.allocate(BLOCK_HEADER_BYTES);
        long position = offset;
        long hashes = 0;
        while (readBlockHeader(ch, block)) {
            int length = block.getInt(0);
            if (length <= 0 || length > BUFFER_BYTES) {
                throw new IOException("bad block length " + length);
            }
            buf.clear().limit(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    throw new IOException("EOF inside a block");
                }
            }
            buf.flip();
            crc.reset();
            crc.update(buf);
            buf.flip();
            if ((int) crc.getValue() != block.getInt(4)) {
                throw new IOException("CRC32C mismatch in the block at " + position);
            }
            digester.digest(buf, digest, 0);
            hashes ^= ByteBuffer.wrap(digest).getLong();
            position = writeInPieces(file, buf, position);
        }
        return new long[] {position, hashes};
    }

    // writes buf's remaining bytes at position, at most WRITE_PIECE_BYTES per write (as ferry's receiver, and for the
    // same reason: the page cache sizes fresh memory by the write, and big blocks of it are slow to touch on this VM
    // class); returns the position after them
    private static long writeInPieces(FileChannel file, ByteBuffer buf, long position) throws IOException {
        int end = buf.limit();
        while (buf.position() < end) {
            buf.limit(Math.min(end, buf.position() + WRITE_PIECE_BYTES));
            while (buf.hasRemaining()) {
                position += file.write(buf, position);
            }
            buf.limit(end);
        }
        return position;
    }

    // reads the next block header into block (cleared first); false at a clean EOF before it
    private static boolean readBlockHeader(SocketChannel ch, ByteBuffer block) throws IOException {
        block.clear();
        while (block.hasRemaining()) {
            if (ch.read(block) < 0) {
                if (block.position() == 0) {
                    return false;
                }
                throw new IOException("EOF inside a block header");
            }
        }
        return true;
    }

    private static int send(int port, Path src, String dstPath, long offset, boolean checked) throws IOException {
        long t0 = System.nanoTime();
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES);
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_HEADER_BYTES);
        ByteBuffer[] blockAndData = {block, buf};
        CRC32C crc = new CRC32C();
        long position = offset;
        try (FileChannel file = FileChannel.open(src, StandardOpenOption.READ);
             SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            writeFully(ch, header(offset, dstPath, checked ? 1 : 0));
            while (true) {
                buf.clear();
                int n = file.read(buf, position);
                if (n < 0) {
                    break;
                }
                position += n;
                buf.flip();
                if (checked) {
                    crc.reset();
                    crc.update(buf);
                    buf.flip();
                    block.clear();
                    block.putInt(n).putInt((int) crc.getValue()).flip();
                    while (block.hasRemaining() || buf.hasRemaining()) {
                        ch.write(blockAndData);
                    }
                } else {
                    writeFully(ch, buf);
                }
            }
            ch.shutdownOutput();
            ByteBuffer reply = ByteBuffer.allocate(1);
            if (ch.read(reply) != 1 || reply.get(0) != 0) {
                System.err.println("PipeFloor: no reply from the receiver after " + (position - offset) + " bytes (see its log)");
                return 1;
            }
        }
        System.out.printf("PipeFloor: sent %d bytes (%s from offset %d%s) in %.3f s%n",
                position - offset, src, offset, checked ? ", checked" : "", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    // the wire header of a transfer, ready to write
    private static ByteBuffer header(long offset, String dstPath, int mode) {
        byte[] name = dstPath.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(HEADER_BYTES + name.length).putLong(offset).putInt(name.length).put((byte) mode)
                .put(name).flip();
    }

    // --- TLS mode: bare bytes through an SSLSocket's streams ---

    private static void recvTls(int port, Path identityDir, PeerId sender) throws IOException {
        SSLContext context = Tls.serverContext(Identity.load(identityDir));
        byte[] bytes = new byte[BUFFER_BYTES];
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", port));
            System.err.println("PipeFloor: TLS receiver listening on 127.0.0.1:" + port + ", sender " + sender);
            while (true) {
                try (Socket raw = server.accept()) {
                    raw.setTcpNoDelay(true);
                    try (SSLSocket tls = Tls.accept(context, raw)) {
                        PeerId peer = Tls.peerId(tls);
                        if (!peer.equals(sender)) {
                            throw new IOException("sender " + peer + " is not " + sender);
                        }
                        String done = serveTls(tls, bytes);
                        System.err.println("PipeFloor: " + done);
                    }
                } catch (IOException | RuntimeException e) {
                    System.err.println("PipeFloor: TLS connection failed, no reply sent: " + e);
                }
            }
        }
    }

    // serve one bare transfer over TLS; returns a log line
    private static String serveTls(SSLSocket tls, byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(tls.getInputStream());   // unbuffered: readFully of the header only
        long offset = in.readLong();
        int pathLength = in.readInt();
        int mode = in.readByte();
        checkHeader(offset, pathLength, mode, 0);
        byte[] name = new byte[pathLength];
        in.readFully(name);
        Path path = Path.of(new String(name, StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long position = offset;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            int filled;
            do {
                filled = 0;                                 // fill the array: a read returns one record at most
                for (int n; filled < bytes.length && (n = in.read(bytes, filled, bytes.length - filled)) >= 0; ) {
                    filled += n;
                }
                buf.clear().limit(filled);
                position = writeInPieces(file, buf, position);
            } while (filled == bytes.length);
        }                                                   // closed, not forced: no fsync
        OutputStream out = tls.getOutputStream();
        out.write(0);
        out.flush();
        return "wrote " + (position - offset) + " bytes at offset " + offset + " into " + path + " (TLS)";
    }

    private static int sendTls(int port, Path src, String dstPath, long offset, Path identityDir, PeerId receiver)
            throws IOException {
        long t0 = System.nanoTime();
        SSLContext context = Tls.clientContext(Identity.load(identityDir), receiver);
        byte[] bytes = new byte[BUFFER_BYTES];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long position = offset;
        try (FileChannel file = FileChannel.open(src, StandardOpenOption.READ);
             Socket raw = new Socket()) {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress("127.0.0.1", port));
            try (SSLSocket tls = Tls.connect(context, raw, "127.0.0.1")) {
                OutputStream out = tls.getOutputStream();
                out.write(header(offset, dstPath, 0).array());
                while (true) {
                    buf.clear();
                    int n = file.read(buf, position);
                    if (n < 0) {
                        break;
                    }
                    out.write(bytes, 0, n);
                    position += n;
                }
                out.flush();
                tls.shutdownOutput();                       // TLS 1.3 close_notify: the receiver's EOF
                if (tls.getInputStream().read() != 0) {
                    System.err.println("PipeFloor: no reply from the TLS receiver after " + (position - offset)
                            + " bytes (see its log)");
                    return 1;
                }
            }
        }
        System.out.printf("PipeFloor: sent %d bytes (%s from offset %d, TLS) in %.3f s%n",
                position - offset, src, offset, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static ByteBuffer readExactly(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("EOF after " + b.position() + " of " + n + " header bytes");
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
