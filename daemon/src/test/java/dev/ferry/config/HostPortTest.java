package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void parsesNamesIpv4AndBracketedIpv6() {
        assertThat(HostPort.parse("0.0.0.0:7878")).isEqualTo(new HostPort("0.0.0.0", 7878));
        assertThat(HostPort.parse("nas.example:1")).isEqualTo(new HostPort("nas.example", 1));
        assertThat(HostPort.parse("localhost:0")).isEqualTo(new HostPort("localhost", 0));
        assertThat(HostPort.parse("[::1]:7878")).isEqualTo(new HostPort("::1", 7878));
        assertThat(HostPort.parse("[::]:65535")).isEqualTo(new HostPort("::", 65535));
        assertThat(HostPort.parse("[::ffff:10.0.0.1]:7878").host()).isEqualTo("::ffff:10.0.0.1");
    }

    @Test
    void printsIpv6InBrackets() {
        assertThat(new HostPort("::1", 7878)).hasToString("[::1]:7878");
        assertThat(new HostPort("nas", 7878)).hasToString("nas:7878");
    }

    @Test
    void requiresAPort() {
        assertThatThrownBy(() -> HostPort.parse("nas.example")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad address \"nas.example\": missing \":PORT\"; expected HOST:PORT, e.g. 0.0.0.0:7878 or [::1]:7878");
        assertThatThrownBy(() -> HostPort.parse("[::1]"))
                .hasMessage("bad address \"[::1]\": missing \":PORT\"; expected HOST:PORT, e.g. 0.0.0.0:7878 or [::1]:7878");
    }

    @Test
    void refusesBadPorts() {
        assertThatThrownBy(() -> HostPort.parse("nas:65536"))
                .hasMessage("bad address \"nas:65536\": port \"65536\" is not a number from 0 to 65535");
        assertThatThrownBy(() -> HostPort.parse("nas:http"))
                .hasMessage("bad address \"nas:http\": port \"http\" is not a number from 0 to 65535");
        assertThatThrownBy(() -> HostPort.parse("nas:"))
                .hasMessage("bad address \"nas:\": port \"\" is not a number from 0 to 65535");
    }

    @Test
    void portAloneAsksForAHost() {
        assertThatThrownBy(() -> HostPort.parse("7878")).hasMessage("bad address \"7878\": missing host;"
                + " write e.g. 0.0.0.0:7878 for every IPv4 interface or 127.0.0.1:7878 for this host only");
    }

    @Test
    void refusesIpv6WithoutBrackets() {
        assertThatThrownBy(() -> HostPort.parse("::1:7878"))
                .hasMessage("bad address \"::1:7878\": put an IPv6 address in brackets, e.g. [::1]:7878");
    }

    @Test
    void refusesBadHosts() {
        assertThatThrownBy(() -> HostPort.parse(":7878"))
                .hasMessage("bad address \":7878\": missing host; expected HOST:PORT, e.g. 0.0.0.0:7878 or [::1]:7878");
        assertThatThrownBy(() -> HostPort.parse("my host:1"))
                .hasMessage("bad address \"my host:1\": host \"my host\" is not a valid host name or IP address");
        assertThatThrownBy(() -> HostPort.parse("300.1.1.1:1"))
                .hasMessage("bad address \"300.1.1.1:1\": host \"300.1.1.1\" is not a valid IPv4 address");
        assertThatThrownBy(() -> HostPort.parse("[::g]:1"))
                .hasMessage("bad address \"[::g]:1\": host \"::g\" is not a valid IPv6 address");
        assertThatThrownBy(() -> HostPort.parse("[::1:1"))
                .hasMessage("bad address \"[::1:1\": missing ']' after the IPv6 address; expected HOST:PORT, e.g. 0.0.0.0:7878 or [::1]:7878");
        assertThatThrownBy(() -> HostPort.parse(""))
                .hasMessage("address is empty; expected HOST:PORT, e.g. 0.0.0.0:7878 or [::1]:7878");
    }

    @Test
    void constructorChecksHostAndPort() {
        assertThatThrownBy(() -> new HostPort("nas", -1)).hasMessage("port -1 is out of range 0..65535");
        assertThatThrownBy(() -> new HostPort("[::1]", 1)).hasMessage("write the IPv6 host \"[::1]\" without brackets");
        assertThatThrownBy(() -> new HostPort("", 1)).hasMessage("host \"\" is not a valid host name or IP address");
    }
}
