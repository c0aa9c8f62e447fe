// Why: admin passwords are stored only as bcrypt hashes (cost 12).
package dev.tollgate.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

public final class Passwords {
    private static final int COST = 12;
    /** A valid hash of a random string, checked when the user does not exist so timing does not tell. */
    private static final String DUMMY = hash("not-a-real-password-" + System.nanoTime());

    private Passwords() {
    }

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash == null ? DUMMY : hash).verified;
    }
}
