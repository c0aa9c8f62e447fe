// Why: admin passwords are stored only as bcrypt hashes (cost 12). bcrypt reads at most 72 bytes, so a longer
// password is first reduced with SHA-512 (the library's hashSha512 strategy): every byte counts and no password the
// API accepts (up to 200 characters) is refused or silently cut. Shorter passwords hash exactly as before.
package dev.tollgate.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

public final class Passwords {
    /** Bounds of every password an admin sets (users API, password change), in characters. */
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 200;
    private static final int COST = 12;
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
    private static final BCrypt.Hasher HASHER = BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    /** A valid hash of a random string, checked when the user does not exist so timing does not tell. */
    private static final String DUMMY = hash("not-a-real-password-" + System.nanoTime());

    private Passwords() {
    }

    public static String hash(String password) {
        return HASHER.hashToString(COST, password.toCharArray());
    }

    public static boolean matches(String password, String hash) {
        return VERIFYER.verify(password.toCharArray(), hash == null ? DUMMY : hash).verified;
    }
}
