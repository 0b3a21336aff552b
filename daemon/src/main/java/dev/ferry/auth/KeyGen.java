package dev.ferry.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a new identity ({@code ferry keygen DIR}): an ECDSA P-256 key pair (fast TLS 1.3 handshakes, in every JDK)
 * and a self-signed certificate for it, made with BouncyCastle's certificate builder, signed through the JDK's own
 * providers. Peers pin the key (its {@link PeerId}), so the certificate's names and dates carry no trust; it is valid
 * for 20 years so that nothing expires under a running setup.
 */
public final class KeyGen {
    static final Duration VALIDITY = Duration.ofDays(20 * 365);

    private KeyGen() {
    }

    /**
     * Creates {@code dir} (mode 700) if needed and writes the key (mode 600, written before it is readable by its
     * name) and the certificate.
     *
     * @param now the certificate's start of validity (less a day, for clocks a little behind)
     * @throws FileAlreadyExistsException if {@code dir} already holds a key: an identity is never overwritten
     */
    public static Identity generate(Path dir, Instant now) throws IOException {
        Path keyFile = dir.resolve(Identity.KEY_FILE);
        if (Files.exists(keyFile) || Files.exists(dir.resolve(Identity.CERT_FILE))) {
            throw new FileAlreadyExistsException(dir.toString(), null,
                    "already holds an identity (ferry id " + dir + " prints its ID); remove it first to make a new one");
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        KeyPair pair;
        X509Certificate cert;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            pair = g.generateKeyPair();
            X500Name name = new X500Name("CN=ferry");
            Instant from = now.minus(Duration.ofDays(1));
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(from), Date.from(from.plus(VALIDITY)), name, pair.getPublic());
            cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(Keys.SIGNATURE).build(pair.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make a key pair and certificate: " + e.getMessage(), e);
        }
        writeNew(keyFile, Identity.Pem.encode(pair.getPrivate().getEncoded(), "PRIVATE KEY"), "rw-------");
        try {
            writeNew(dir.resolve(Identity.CERT_FILE), Identity.Pem.encode(cert.getEncoded(), "CERTIFICATE"), "rw-r--r--");
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(keyFile);
            throw new IOException("cannot encode the certificate: " + e.getMessage(), e);
        }
        return new Identity(pair.getPrivate(), cert);
    }

    /** Writes a temp file created with {@code mode}, fsyncs it, renames it into place (never over an existing file). */
    private static void writeNew(Path file, String text, String mode) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
