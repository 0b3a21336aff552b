package dev.ferry.cli;

import dev.ferry.auth.Token;
import dev.ferry.config.FerryUri;
import dev.ferry.config.HostPort;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.logging.Human;
import dev.ferry.push.PushException;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.Pusher;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.receive.ReceiverStats;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code ferry demo}: a receiver on loopback, a generated sample folder pushed into it twice (the second push
 * sends nothing), a check that both trees match, and what to try next. Everything stays in one temp folder.
 */
final class DemoCommand implements Verb {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "push a generated sample folder to a receiver on 127.0.0.1 and show what happened";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry demo [--dir DIR]
                Start a receiver on 127.0.0.1, push a generated sample folder into it (twice, then after a change,
                then once more through the command line's code), check that both trees match, and show what to try next.

                  --dir DIR   where to put the demo files (default: a new temp folder)
                """;
    }

    @Override
    public Set<String> options() {
        return Set.of("--dir");
    }

    @Override
    public int run(Args args) throws IOException, PushException {
        args.expectPositionals(name());
        Path dir = args.value("--dir") == null ? null : Path.of(args.value("--dir"));
        PrintStream out = System.out;
        Path base = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("ferry-demo-");
        Path source = Files.createDirectories(base.resolve("source"));
        Path target = Files.createDirectories(base.resolve("target"));
        Path tokenFile = base.resolve("token");
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        Files.writeString(tokenFile, Base64.getEncoder().encodeToString(secret) + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Token token = Token.read(tokenFile);
        int files = SampleTree.write(source);
        out.println("ferry demo: sample folder " + source + " (" + files + " files)");

        ReceiveConfig receive = ReceiveConfig.defaults(new HostPort(InetAddress.getLoopbackAddress().getHostAddress(), 0),
                tokenFile.toAbsolutePath(), Map.of("demo", target.toAbsolutePath()));
        ReceiverSettings rs = ReceiveCommand.settings(receive, token);
        try (Receiver receiver = Receiver.start(rs)) {
            int port = receiver.address().getPort();
            String uri = "ferry://127.0.0.1:" + port + "/demo";
            out.println("ferry demo: receiver on 127.0.0.1:" + port + ", folder 'demo' -> " + target);
            PushSettings ps = PushCommand.settings(FerryUri.parse(uri), token);

            out.println();
            out.println("1) first push of " + source + "/ to " + uri);
            PushResult first = Pusher.push(source, true, "", ps);
            PushCommand.report(first, out, out);
            out.println("2) second push, nothing changed: every NEED is empty, no chunk is sent");
            PushResult second = Pusher.push(source, true, "", ps);
            PushCommand.report(second, out, out);
            Path changed = source.resolve("notes/todo.txt");
            Files.writeString(changed, "- try ferry push with a trailing slash\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            out.println("3) after appending a line to notes/todo.txt: only that file's last chunk travels");
            PushResult third = Pusher.push(source, true, "", ps);
            PushCommand.report(third, out, out);
            Path state = base.resolve("state");
            out.println("4) the same, as the command line runs it: bin/ferry push " + source + "/ " + uri + " --token-file "
                    + tokenFile + " --state-dir " + state);
            out.println("   (the receiver holds every file already: it checks the 9 MiB video against its hash list, which");
            out.println("   this push keeps in " + state.resolve("push-digests") + " for the next one)");
            int fourth = Main.run("push", source + "/", uri, "--token-file", tokenFile.toString(), "--state-dir", state.toString());
            out.println("5) once more: this time the video's hash list comes from " + state.resolve("push-digests"));
            int fifth = Main.run("push", source + "/", uri, "--token-file", tokenFile.toString(), "--state-dir", state.toString());

            String diff = TreeDiff.firstDifference(source, target);
            out.println();
            out.println(diff == null ? "target is byte-identical to the source (contents, mtime, mode)" : "MISMATCH: " + diff);
            out.println("receiver counters: " + counters(receiver.stats().snapshot()));
            out.println();
            out.println("Try it by hand (two terminals):");
            out.println("  bin/ferry receive --listen 127.0.0.1:7878 --folder demo=" + target + " --token-file " + tokenFile);
            out.println("  bin/ferry push " + source + "/ ferry://127.0.0.1:7878/demo --token-file " + tokenFile);
            out.println("  bin/ferry check-config config/receiver.yaml");
            out.println("  bin/ferry daemon --config config/sender.yaml   (after editing its paths: keeps a folder mirrored live)");
            out.println("Demo files stay in " + base + " (remove it when done).");
            return diff == null && first.ok() && second.ok() && third.ok() && fourth == ExitCode.OK && fifth == ExitCode.OK
                    && second.chunksSent() == 0
                    ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    /** A small tree with the cases that trip sync tools: empty file, empty dir, spaces, non-ASCII, binaries, one big. */
    static final class SampleTree {
        private SampleTree() {
        }

        static int write(Path root) throws IOException {
            Files.createDirectories(root.resolve("notes"));
            Files.createDirectories(root.resolve("photos/2026/winter"));
            Files.createDirectories(root.resolve("empty folder"));
            Files.writeString(root.resolve("README.txt"), "Pushed by ferry.\n");
            Files.writeString(root.resolve("notes/todo.txt"), "- run the demo\n");
            Files.writeString(root.resolve("notes/café menu.txt"), "crème brûlée\n");
            Files.write(root.resolve("notes/empty"), new byte[0]);
            byte[] photo = new byte[3 * 1024 * 1024 + 12345];
            new Random(42).nextBytes(photo);
            Files.write(root.resolve("photos/2026/winter/snow.raw"), photo);
            // big enough to stream (hashed ahead while it is sent): see FilePreparer.STREAM_MIN_BYTES
            Files.createDirectories(root.resolve("video"));
            byte[] video = new byte[9 * 1024 * 1024];
            new Random(7).nextBytes(video);
            Files.write(root.resolve("video/holiday.mp4"), video);
            Path script = root.resolve("run.sh");
            Files.writeString(script, "#!/bin/sh\necho hello from ferry\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
            return 7;
        }
    }

    /** {@code 5 connections, 12 files committed (3 unchanged, 0 failed), 40 chunks received (9.0 MiB), ...}. */
    static String counters(ReceiverStats.Snapshot s) {
        return s.connectionsAccepted() + " connections, " + s.filesCommitted() + " files committed (" + s.filesUnchanged()
                + " unchanged, " + s.filesFailed() + " failed), " + s.chunksReceived() + " chunks received ("
                + Human.bytes(s.chunkBytesWritten()) + "), " + s.chunksReused() + " reused, " + s.chunksResumed()
                + " resumed from partial files";
    }
}
