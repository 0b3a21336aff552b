package dev.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Our HMAC-SHA256 is RFC 4231's and the JDK's; a proof checks only with the same token, nonces and folder. */
class ProofTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc4231TestCases() {
        // case 1: 20-byte key, "Hi There"
        assertThat(HEX.formatHex(Proof.hmacSha256(HEX.parseHex("0b".repeat(20)), "Hi There".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        // case 2: short key "Jefe"
        assertThat(HEX.formatHex(Proof.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want ".getBytes(StandardCharsets.US_ASCII), "for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // case 6: 131-byte key (longer than the block: hashed first)
        assertThat(HEX.formatHex(Proof.hmacSha256(HEX.parseHex("aa".repeat(131)),
                "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void agreesWithTheJdksMacForRandomKeysAndMessages() throws Exception {
        Random random = new Random(5);
        for (int n = 0; n < 200; n++) {
            byte[] key = new byte[1 + random.nextInt(150)];
            byte[] msg = new byte[random.nextInt(300)];
            random.nextBytes(key);
            random.nextBytes(msg);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            int cut = msg.length / 3;
            assertThat(Proof.hmacSha256(key, java.util.Arrays.copyOf(msg, cut), java.util.Arrays.copyOfRange(msg, cut, msg.length)))
                    .as("key %d bytes, message %d bytes", key.length, msg.length).isEqualTo(mac.doFinal(msg));
        }
    }

    @Test
    void aProofChecksOnlyWithEverythingItCovers() {
        Token token = Token.of("proof-test-token-0123456789abcdef");
        byte[] client = new byte[32];
        byte[] server = new byte[32];
        server[0] = 1;
        byte[] proof = Proof.compute(token, client, server, "photos");

        assertThat(Proof.verify(token, client, server, "photos", proof)).isTrue();
        assertThat(Proof.verify(Token.of("proof-test-token-0123456789abcdeX"), client, server, "photos", proof)).isFalse();
        assertThat(Proof.verify(token, server, client, "photos", proof)).isFalse();
        assertThat(Proof.verify(token, client, server, "photo", proof)).isFalse();
    }
}
