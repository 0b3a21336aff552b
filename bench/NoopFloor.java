// bench/NoopFloor.java - the floor of issue 15's benchmark (c) (tree_bench.sh): the least a JVM program does to find
// that a target already holds a source tree, the way a sync tool with a quick check must: the receiver walks the
// target and sends a listing (path, kind, size, mtime, mode; a symlink's text) over a socket while the sender walks
// the source, then the sender compares the two and finds nothing to send. Not a sync tool and not a competitor: no
// authentication, no transfer, no index. Whatever ferry's no-op push costs beyond this is ferry's own work.
//
//   java -cp DIR NoopFloor recv PORT                  receiver: serves connections on 127.0.0.1:PORT, one at a time
//   java -cp DIR NoopFloor send PORT SRC TARGET       sender: exit 0 if TARGET holds SRC as it is, 1 if anything
//                                                     differs (the count and the first few are printed), 2 on misuse
//
// Wire: the sender sends u16 length + UTF-8 TARGET; the receiver answers one record per entry below TARGET:
// u8 kind (1 dir, 2 file, 3 symlink), u16 length + UTF-8 relative path, u64 size (files), u64 mtime (ns), u32 mode,
// and for a symlink u16 length + UTF-8 text; then u8 0. Both walks use the JDK's lstat through the "unix" view
// (one call per entry), as a plain Java program would.

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public final class NoopFloor {
    private static final String ATTRIBUTES = "unix:mode,size,lastModifiedTime,isDirectory,isRegularFile,isSymbolicLink";

    /** One entry of a tree: what the quick check compares. */
    record Entry(int kind, long size, long mtimeNs, int mode, String link) {
    }

    /** Told each entry of a walk. */
    interface Visitor {
        void entry(String rel, Entry e) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("recv")) {
            receive(Integer.parseInt(args[1]));
        } else if (args.length == 4 && args[0].equals("send")) {
            System.exit(send(Integer.parseInt(args[1]), Path.of(args[2]), args[3]));
        } else {
            System.err.println("usage: NoopFloor recv PORT | NoopFloor send PORT SRC TARGET");
            System.exit(2);
        }
    }

    private static void receive(int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            while (true) {
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 256 * 1024));
                    Path target = Path.of(utf8(in));
                    walk(target, "", (rel, e) -> {
                        out.writeByte(e.kind());
                        writeUtf8(out, rel);
                        out.writeLong(e.size());
                        out.writeLong(e.mtimeNs());
                        out.writeInt(e.mode());
                        if (e.kind() == 3) {
                            writeUtf8(out, e.link());
                        }
                    });
                    out.writeByte(0);
                    out.flush();
                } catch (IOException e) {
                    System.err.println("NoopFloor receiver: " + e);
                }
            }
        }
    }

    private static int send(int port, Path src, String target) throws Exception {
        long t0 = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
            writeUtf8(out, target);
            out.flush();
            // the receiver walks its tree while this thread walks the source (as a sync tool would)
            Map<String, Entry> there = new HashMap<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 256 * 1024));
                    for (int kind; (kind = in.readUnsignedByte()) != 0; ) {
                        String rel = utf8(in);
                        long size = in.readLong();
                        long mtime = in.readLong();
                        int mode = in.readInt();
                        there.put(rel, new Entry(kind, size, mtime, mode, kind == 3 ? utf8(in) : ""));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("listing failed: " + e, e);
                }
            });
            Map<String, Entry> here = new HashMap<>();
            walk(src, "", here::put);
            reader.join();
            List<String> differ = new ArrayList<>();
            here.forEach((rel, e) -> {
                if (!e.equals(there.get(rel))) {
                    differ.add(rel);
                }
            });
            there.keySet().stream().filter(rel -> !here.containsKey(rel)).forEach(differ::add);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            if (!differ.isEmpty()) {
                System.out.println("NoopFloor: " + differ.size() + " of " + here.size() + " entries differ, e.g. "
                        + differ.subList(0, Math.min(3, differ.size())) + " (" + ms + " ms)");
                return 1;
            }
            System.out.println("NoopFloor: " + here.size() + " entries, all in place (" + ms + " ms)");
            return 0;
        }
    }

    /** Every entry below {@code dir} (path {@code rel}), parents before children; one lstat each. */
    private static void walk(Path dir, String rel, Visitor visitor) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = rel.isEmpty() ? p.getFileName().toString() : rel + "/" + p.getFileName();
                Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
                int mode = (Integer) a.get("mode") & 07777;
                if ((Boolean) a.get("isDirectory")) {
                    visitor.entry(name, new Entry(1, 0, mtime, mode, ""));
                    walk(p, name, visitor);
                } else if ((Boolean) a.get("isRegularFile")) {
                    visitor.entry(name, new Entry(2, (Long) a.get("size"), mtime, mode, ""));
                } else if ((Boolean) a.get("isSymbolicLink")) {
                    visitor.entry(name, new Entry(3, 0, mtime, 0, Files.readSymbolicLink(p).toString()));
                }
            }
        }
    }

    private static void writeUtf8(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String utf8(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
