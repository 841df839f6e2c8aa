package io.parley.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * Reads and writes private key files in the signed-note signer key form used by Go's {@code note} tools:
 * {@code PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 || seed)>}. Files are created with mode 0600 before any
 * secret is written, and loading refuses a key file that group or others can read.
 */
public final class KeyFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {}

    public static void write(Path file, SigningKey key) throws IOException {
        byte[] seed = key.seed();
        byte[] withAlg = new byte[33];
        withAlg[0] = VerifierKey.ALG_ED25519;
        System.arraycopy(seed, 0, withAlg, 1, 32);
        String text = "PRIVATE+KEY+" + key.name() + "+" + key.verifierKey().keyIdHex() + "+" + Base64.getEncoder().encodeToString(withAlg) + "\n";
        Arrays.fill(seed, (byte) 0);
        Arrays.fill(withAlg, (byte) 0);
        if (Files.exists(file)) throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a private key");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public static SigningKey read(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new IOException("private key " + file + " is readable by others (mode " + PosixFilePermissions.toString(perms) + "); run chmod 600 on it");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        String[] parts = text.split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IOException("private key " + file + " is not of the form PRIVATE+KEY+name+keyid+base64");
        }
        byte[] withAlg;
        try {
            withAlg = Base64.getDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new IOException("private key " + file + ": key part is not base64");
        }
        if (withAlg.length != 33 || withAlg[0] != VerifierKey.ALG_ED25519) {
            throw new IOException("private key " + file + ": only Ed25519 keys are supported");
        }
        SigningKey key = new SigningKey(parts[2], Arrays.copyOfRange(withAlg, 1, 33));
        Arrays.fill(withAlg, (byte) 0);
        if (!key.verifierKey().keyIdHex().equalsIgnoreCase(parts[3])) {
            throw new IOException("private key " + file + ": key id does not match the key");
        }
        return key;
    }
}
