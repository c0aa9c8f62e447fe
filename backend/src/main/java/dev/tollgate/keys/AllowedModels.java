// Why: a tenant and a key may each restrict the models they can use; both lists must permit a model.
package dev.tollgate.keys;

import java.util.List;
import java.util.Locale;

/**
 * A list of permitted model names; {@code null} or empty permits every model. Names without a tag mean
 * {@code :latest} (as in Ollama), and a trailing {@code *} permits every model starting with what precedes it.
 */
public record AllowedModels(List<String> patterns) {
    public static final AllowedModels ANY = new AllowedModels(null);

    public boolean permits(String model) {
        if (patterns == null || patterns.isEmpty()) {
            return true;
        }
        String name = normalize(model);
        for (String p : patterns) {
            if (p.endsWith("*")) {
                if (name.startsWith(p.substring(0, p.length() - 1).toLowerCase(Locale.ROOT))) {
                    return true;
                }
            } else if (normalize(p).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Lower-cases and adds Ollama's implicit {@code :latest} tag. */
    public static String normalize(String model) {
        String m = model.trim().toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        return m.indexOf(':', slash + 1) >= 0 ? m : m + ":latest";
    }
}
