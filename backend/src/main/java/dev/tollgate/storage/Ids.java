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
        return prefix + "_" + String.format("%012x", System.currentTimeMillis()) + random(10);
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
