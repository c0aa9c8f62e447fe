// Why: ids are opaque strings that sort by creation time, so cursor paging is a simple "id > cursor".
package dev.tollgate.storage;

import java.security.SecureRandom;

/** Creates time-ordered ids such as {@code ten_0190f3c2a1b4Xk2...}. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {
    }

    public static String next(String prefix) {
        return prefix + "_" + timePart() + random(10);
    }

    /**
     * A request id: time-ordered and unique, but not secret, so it draws from a fast per-thread generator
     * instead of the cryptographic one (which serialises callers on Linux).
     */
    public static String request() {
        char[] out = new char[14];
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < out.length; i++) {
            out[i] = BASE62[r.nextInt(BASE62.length)];
        }
        return "req_" + timePart() + new String(out);
    }

    private static String timePart() {
        String hex = Long.toHexString(System.currentTimeMillis());
        return "000000000000".substring(Math.min(12, hex.length())) + hex;
    }

    /** {@code length} characters drawn uniformly from base62 with a cryptographic generator. */
    public static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(out);
    }
}
