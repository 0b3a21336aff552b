package dev.ferry.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * This host's identity: a private key and its self-signed certificate, kept in a folder ({@code ferry keygen DIR}
 * makes one: {@value #KEY_FILE} mode 600, {@value #CERT_FILE}). Peers know it by its {@link PeerId}. Loaded with the
 * JDK alone; {@code toString} never shows the key.
 */
public record Identity(PrivateKey key, X509Certificate certificate) {
    public static final String KEY_FILE = "key.pem";
    public static final String CERT_FILE = "cert.pem";

    public PeerId id() {
        return PeerId.of(certificate.getPublicKey());
    }

    /**
     * Reads the identity in {@code dir}.
     *
     * @throws IOException naming the file and what is wrong: missing, readable by others (with the chmod to run), not
     *                     PEM, a key that does not match the certificate
     */
    public static Identity load(Path dir) throws IOException {
        Path keyFile = dir.resolve(KEY_FILE);
        Path certFile = dir.resolve(CERT_FILE);
        for (Path f : new Path[] {keyFile, certFile}) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("identity " + dir + " has no " + f.getFileName() + " (make one with ferry keygen "
                        + dir + ")");
            }
        }
        SecretFiles.checkOwnerOnly(keyFile, "private key");
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + " is not a PEM certificate: " + e.getMessage(), e);
        }
        PrivateKey key;
        try {
            byte[] der = Pem.decode(Files.readString(keyFile, StandardCharsets.US_ASCII), "PRIVATE KEY");
            key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // never the key's bytes in the message
            throw new IOException(keyFile + " is not a PEM PKCS#8 private key for " + certFile, e);
        }
        Identity identity = new Identity(key, cert);
        if (!Keys.matches(key, cert.getPublicKey())) {
            throw new IOException(keyFile + " is not the private key of " + certFile);
        }
        return identity;
    }

    @Override
    public String toString() {
        return "Identity[" + id() + "]";
    }

    /** The PEM armour: base64 between BEGIN and END lines. */
    static final class Pem {
        private Pem() {
        }

        static String encode(byte[] der, String type) {
            return "-----BEGIN " + type + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }

        static byte[] decode(String pem, String type) {
            String begin = "-----BEGIN " + type + "-----";
            String end = "-----END " + type + "-----";
            int from = pem.indexOf(begin);
            int to = pem.indexOf(end);
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("no " + type + " block");
            }
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        }
    }
}
