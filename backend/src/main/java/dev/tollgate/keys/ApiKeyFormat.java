// Why: the public key format (sk-tg- + base62) is checked before any hashing or lookup.
package dev.tollgate.keys;

import dev.tollgate.storage.Ids;

/** Generates and recognises Tollgate API keys. */
public final class ApiKeyFormat {
    public static final String PREFIX = "sk-tg-";
    static final int RANDOM_LENGTH = 40;
    static final int SHOWN_PREFIX_LENGTH = 10;

    private ApiKeyFormat() {
    }

    public static String generate() {
        return PREFIX + Ids.random(RANDOM_LENGTH);
    }

    /** True when {@code key} has the shape of a Tollgate key: the prefix then at least 32 base62 characters. */
    public static boolean wellFormed(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() < PREFIX.length() + 32 || key.length() > 200) {
            return false;
        }
        for (int i = PREFIX.length(); i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    public static String shownPrefix(String key) {
        return key.substring(0, SHOWN_PREFIX_LENGTH);
    }
}
