package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.auth.PeerId;
import org.junit.jupiter.api.Test;

class FerryUriTest {
    private static final String FORM =
            "expected ferry://[ID@]HOST[:PORT]/FOLDER[/SUBDIR], e.g. ferry://nas.example:7878/photos";

    @Test
    void parsesHostPortFolderAndSubdir() {
        assertThat(FerryUri.parse("ferry://nas.example:7878/photos"))
                .isEqualTo(new FerryUri("nas.example", 7878, "photos", ""));
        assertThat(FerryUri.parse("ferry://nas.example:9000/photos/2024/summer"))
                .isEqualTo(new FerryUri("nas.example", 9000, "photos", "2024/summer"));
        assertThat(FerryUri.parse("ferry://[2001:db8::7]:7879/backup/alice"))
                .isEqualTo(new FerryUri("2001:db8::7", 7879, "backup", "alice"));
    }

    @Test
    void defaultsThePortTo7878() {
        assertThat(FerryUri.parse("ferry://nas/photos")).isEqualTo(new FerryUri("nas", 7878, "photos", ""));
        assertThat(FerryUri.parse("ferry://[::1]/photos")).isEqualTo(new FerryUri("::1", 7878, "photos", ""));
    }

    @Test
    void dropsOneTrailingSlash() {
        assertThat(FerryUri.parse("ferry://nas/photos/")).isEqualTo(new FerryUri("nas", 7878, "photos", ""));
        assertThat(FerryUri.parse("ferry://nas/photos/a/b/")).isEqualTo(new FerryUri("nas", 7878, "photos", "a/b"));
    }

    @Test
    void printsTheCanonicalFormWithThePort() {
        assertThat(FerryUri.parse("ferry://nas/photos/a")).hasToString("ferry://nas:7878/photos/a");
        assertThat(FerryUri.parse("ferry://[::1]/photos")).hasToString("ferry://[::1]:7878/photos");
        assertThat(FerryUri.parse("ferry://nas/photos").address()).isEqualTo(new HostPort("nas", 7878));
    }

    @Test
    void refusesOtherSchemes() {
        assertThatThrownBy(() -> FerryUri.parse("http://nas/photos")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad ferry URI \"http://nas/photos\": " + FORM);
        assertThatThrownBy(() -> FerryUri.parse("nas:7878/photos"))
                .hasMessage("bad ferry URI \"nas:7878/photos\": " + FORM);
    }

    @Test
    void requiresAFolder() {
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas:7878"))
                .hasMessage("bad ferry URI \"ferry://nas:7878\": missing /FOLDER after the host; " + FORM);
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/"))
                .hasMessage("bad ferry URI \"ferry://nas/\": missing /FOLDER after the host; " + FORM);
    }

    @Test
    void refusesBadHostsAndPorts() {
        assertThatThrownBy(() -> FerryUri.parse("ferry:///photos"))
                .hasMessage("bad ferry URI \"ferry:///photos\": host is empty; " + FORM);
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas:99999/photos"))
                .hasMessage("bad ferry URI \"ferry://nas:99999/photos\": bad host \"nas:99999\": port \"99999\""
                        + " is not a number from 0 to 65535");
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas:0/photos"))
                .hasMessage("bad ferry URI \"ferry://nas:0/photos\": port 0 is not a valid target port; use 1..65535");
        assertThatThrownBy(() -> FerryUri.parse("ferry://::1/photos"))
                .hasMessage("bad ferry URI \"ferry://::1/photos\": bad host \"::1\": put an IPv6 address in brackets,"
                        + " e.g. [::1]:7878");
    }

    @Test
    void refusesAUserNameInsteadOfAnIdAndQueryAndFragment() {
        assertThatThrownBy(() -> FerryUri.parse("ferry://alice@nas/photos"))
                .hasMessage("bad ferry URI \"ferry://alice@nas/photos\": before '@' must be the receiver's ID: 'alice'"
                        + " is not a ferry ID: it must have 32 letters and digits (A-Z, 2-7), in groups of 4 (ferry id DIR"
                        + " prints one)");
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/photos?x=1"))
                .hasMessage("bad ferry URI \"ferry://nas/photos?x=1\": '?' is not allowed (no query or fragment); "
                        + FORM);
        assertThatThrownBy(() -> FerryUri.parse("ferry://" + ID + "@nas/ph@tos"))
                .hasMessage("bad ferry URI \"ferry://" + ID + "@nas/ph@tos\": '@' may appear once, after the receiver's"
                        + " ID; " + FORM);
    }

    static final String ID = "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OBYX-E4TT";

    @Test
    void aPinnedIdBeforeTheHostIsParsedCanonicallyAndLeftOutOfTheLocation() {
        FerryUri uri = FerryUri.parse("ferry://" + ID.toLowerCase().replace("-", "") + "@nas.example/photos/2024");

        assertThat(uri.id()).contains(PeerId.parse(ID));
        assertThat(uri.host()).isEqualTo("nas.example");
        assertThat(uri.folder()).isEqualTo("photos");
        assertThat(uri.subdir()).isEqualTo("2024");
        assertThat(uri).hasToString("ferry://" + ID + "@nas.example:7878/photos/2024");
        assertThat(uri.location()).isEqualTo("ferry://nas.example:7878/photos/2024");
        assertThat(FerryUri.parse(uri.toString())).isEqualTo(uri);
        assertThat(FerryUri.parse("ferry://nas.example/photos").id()).isEmpty();
    }

    @Test
    void refusesBadFolderNames() {
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/.hidden"))
                .hasMessage("bad ferry URI \"ferry://nas/.hidden\": folder name \".hidden\" is invalid: use 1 to 64"
                        + " letters, digits, '.', '_' or '-', not starting with '.'");
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/my photos"))
                .hasMessage("bad ferry URI \"ferry://nas/my photos\": folder name \"my photos\" is invalid: use 1 to 64"
                        + " letters, digits, '.', '_' or '-', not starting with '.'");
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/" + "a".repeat(65))).hasMessageContaining("is invalid");
        assertThat(FerryUri.parse("ferry://nas/" + "a".repeat(64)).folder()).hasSize(64);
    }

    @Test
    void refusesSubdirsThatClimbOrHaveEmptySegments() {
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/photos/../etc"))
                .hasMessage("bad ferry URI \"ferry://nas/photos/../etc\": subdir segment \"..\" is not allowed;"
                        + " name a folder below FOLDER");
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/photos/a/./b"))
                .hasMessage("bad ferry URI \"ferry://nas/photos/a/./b\": subdir segment \".\" is not allowed;"
                        + " name a folder below FOLDER");
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/photos/a//b"))
                .hasMessage("bad ferry URI \"ferry://nas/photos/a//b\": empty path segment in subdir \"a//b\";"
                        + " write a/b, without leading, trailing or double '/'");
        assertThatThrownBy(() -> FerryUri.parse("ferry://nas/photos/a\\b"))
                .hasMessage("bad ferry URI \"ferry://nas/photos/a\\b\": subdir segment \"a\\b\" holds a backslash"
                        + " or a control character; separate folders with '/'");
    }

    @Test
    void constructorChecksEveryField() {
        assertThatThrownBy(() -> new FerryUri("nas", 7878, "photos", "/a"))
                .hasMessage("empty path segment in subdir \"/a\"; write a/b, without leading, trailing or double '/'");
        assertThatThrownBy(() -> new FerryUri("nas", 0, "photos", ""))
                .hasMessage("port 0 is not a valid target port; use 1..65535");
        assertThatThrownBy(() -> new FerryUri("nas", 1, "", ""))
                .hasMessage("folder name \"\" is invalid: use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'");
    }
}
