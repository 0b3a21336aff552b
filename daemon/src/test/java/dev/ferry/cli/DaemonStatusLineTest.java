package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one-line STATUS= that {@code ferry daemon} gives systemd (the daemon sending it: SystemdNotifyTest). */
class DaemonStatusLineTest {
    @Test
    void namesThePairsAndWhereTheReceiverListens() throws Exception {
        InetSocketAddress any4 = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 7878);
        InetSocketAddress any6 = new InetSocketAddress(InetAddress.getByName("::"), 7878);

        assertThat(SystemdListener.statusLine(2, Optional.of(any4))).isEqualTo("2 pairs, receiver on 0.0.0.0:7878");
        assertThat(SystemdListener.statusLine(1, Optional.of(any6)))
                .isEqualTo("1 pair, receiver on [0:0:0:0:0:0:0:0]:7878");
        assertThat(SystemdListener.statusLine(1, Optional.empty())).isEqualTo("1 pair, no receiver");
        assertThat(SystemdListener.statusLine(0, Optional.of(any4))).isEqualTo("0 pairs, receiver on 0.0.0.0:7878");
    }
}
