package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** FaultProxy's command line: options, stdin commands, and the proxy running as a process of its own. */
class FaultProxyMainTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void optionsApplyToTheChosenDirectionsAndConnection() throws IOException {
        FaultProxyMain.Options o = FaultProxyMain.parse(new String[] {"--listen", "0.0.0.0:0", "--upstream",
            "127.0.0.1:9", "--drop-after", "1KiB", "--direction", "both", "--connection", "2", "--delay", "25ms"});
        try (FaultProxy proxy = new FaultProxy(o.listen(), o.upstream())) {
            FaultProxyMain.apply(proxy, o);

            assertThat(proxy.address().getAddress().isAnyLocalAddress()).isTrue();
            assertThat(proxy.onConnection(2).upstream().dropAfter()).isEqualTo(1024);
            assertThat(proxy.onConnection(2).downstream().dropAfter()).isEqualTo(1024);
            assertThat(proxy.upstream().dropAfter()).isEqualTo(-1);
            assertThat(proxy.upstream().delay()).isEqualTo(Duration.ofMillis(25));
            assertThat(proxy.downstream().delay()).isEqualTo(Duration.ofMillis(25));
        }
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> FaultProxyMain.parse(new String[] {"--listen", "127.0.0.1:0"}))
                .hasMessage("--upstream HOST:PORT is required");
        assertThatThrownBy(() -> FaultProxyMain.parse(new String[] {"--upstream", "127.0.0.1:9", "--direction", "sideways"}))
                .hasMessage("--direction 'sideways' must be up, down or both");
        assertThatThrownBy(() -> FaultProxyMain.parse(new String[] {"--upstream"})).hasMessage("--upstream needs a value");
    }

    @Test
    void runsAsAProcessAndTakesCommandsOnStdin() throws IOException {
        try (TcpSink sink = TcpSink.start(TcpSink.Mode.COUNT);
                FerryProcess proxy = FerryProcess.java(FaultProxy.class, "--upstream", "127.0.0.1:" + sink.port(),
                        "--drop-after", "1000").start()) {
            int port = proxy.awaitListeningPort(WAIT);

            assertThatThrownBy(() -> sendAndAck(port, 5000)).isInstanceOf(IOException.class);
            assertThat(proxy.request("stats", Pattern.compile("^stats .*"), WAIT).group())
                    .contains("accepted=1 ").contains(" bytes-up=1000 ").contains(" drops=1 ");
            proxy.request("clear", Pattern.compile("^cleared$"), WAIT);

            assertThat(sendAndAck(port, 5000)).isEqualTo(5000);
        }
    }

    static long sendAndAck(int port, int bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[bytes]);
            s.shutdownOutput();
            return new DataInputStream(s.getInputStream()).readLong();
        }
    }
}
