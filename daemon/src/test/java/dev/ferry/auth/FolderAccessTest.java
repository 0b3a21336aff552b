package dev.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may write a folder, and what a refused peer is told: IDs over TLS, a token's proof in either mode. */
class FolderAccessTest {
    static final PeerId ALICE = PeerId.parse("MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OBYX-E4TT");
    static final PeerId BOB = PeerId.parse("ONSW-G4TF-OQQH-EZLS-GQ2D-QNZV-GI3D-ENBT");
    static final Token TOKEN = Token.of("folder-access-test-token");

    @Test
    void anAllowedIdIsAdmittedWithoutAProofAndAnotherIsNot() {
        FolderAccess access = new FolderAccess(Set.of(ALICE), Optional.empty());

        assertThat(access.admits(ALICE, false)).isTrue();
        assertThat(access.admits(BOB, false)).isFalse();
        assertThat(access.admits(BOB, true)).as("a proof is worth nothing without a token to check").isFalse();
        assertThat(access.refusal(BOB, "photos", false)).isEqualTo("peer ID " + BOB + " is not allowed on folder 'photos'");
    }

    @Test
    void aTokenOpensTheFolderToAnyPeerThatProvesItOverTlsOrPlaintext() {
        FolderAccess access = new FolderAccess(Set.of(ALICE), Optional.of(TOKEN));

        assertThat(access.admits(BOB, true)).isTrue();
        assertThat(access.admits(null, true)).as("plaintext: no ID, the proof").isTrue();
        assertThat(access.admits(null, false)).isFalse();
        assertThat(access.refusal(BOB, "photos", true))
                .isEqualTo("peer ID " + BOB + " is not allowed on folder 'photos' (and its token does not match)");
        assertThat(access.refusal(null, "photos", true)).isEqualTo("authentication failed: the token does not match");
    }

    @Test
    void aFolderWithNeitherIdsNorATokenAcceptsNobodyAndSaysSo() {
        FolderAccess nobody = new FolderAccess(Set.of(), Optional.empty());

        assertThat(nobody.admits(ALICE, true)).isFalse();
        assertThat(nobody.refusal(ALICE, "photos", false)).isEqualTo("peer ID " + ALICE + " is not allowed on folder"
                + " 'photos' (the folder allows no IDs: list some under its allow, or --allow photos=ID)");
    }
}
