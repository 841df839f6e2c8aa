package io.parley.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.parley.node.NodeFiles;

/**
 * Seals small secrets kept in the database (TOTP secrets) with AES-256-GCM under a key that lives in a 0600 file of the
 * node directory, not in the database: a dump or backup of the database alone does not give the secrets away. Each
 * sealed value is bound to a context (the account name), so a row copied to another account does not open.
 */
public final class SecretBox {
    private static final String PREFIX = "v1:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box of the key in {@code file}, made (32 random bytes, mode 0600) if the file does not exist yet. */
    public static SecretBox open(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (Files.getFileAttributeView(file.getParent(), java.nio.file.attribute.PosixFileAttributeView.class) != null) {
                Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(NodeFiles.FILE));
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp); // fails if another instance made the key meanwhile: then its key is the one
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // keep the other's
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        byte[] k;
        try {
            k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a base64 key: " + e.getMessage());
        }
        if (k.length != 32) throw new IOException(file + " must hold a 32-byte key in base64");
        return new SecretBox(k);
    }

    public String seal(byte[] secret, String context) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(secret);
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required on every Java platform", e);
        }
    }

    /** The secret sealed for {@code context}; a value sealed under another key or context is refused. */
    public byte[] open(String sealed, String context) {
        if (sealed == null || !sealed.startsWith(PREFIX)) throw new Unreadable("not a sealed value");
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (in.length < 12 + 16) throw new Unreadable("too short");
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(in, 12, in.length - 12);
        } catch (AEADBadTagException e) {
            throw new Unreadable("sealed under another key (is this instance's totp.key the node's?) or for another account");
        } catch (IllegalArgumentException e) {
            throw new Unreadable("not base64");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required on every Java platform", e);
        }
    }

    /** A sealed value that does not open with this key and context. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String why) {
            super(why);
        }
    }
}
