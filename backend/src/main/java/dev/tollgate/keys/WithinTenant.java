// Why: a tenant_admin manages its tenant's keys but not the tenant itself, so the limits and models it gives a key
// must stay inside what the admin gave the tenant; anything outside is a 400 naming the field.
package dev.tollgate.keys;

import dev.tollgate.limits.Limits;
import dev.tollgate.web.FieldError;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** Checks what a tenant_admin sets on a key against the key's tenant; values it leaves unchanged are not judged. */
final class WithinTenant {
    private static final Map<String, Function<Limits, Long>> COUNTS = Map.of(
            "rpm", Limits::rpm, "tpm", Limits::tpm, "concurrency", Limits::concurrency,
            "daily_requests", Limits::dailyRequests, "monthly_requests", Limits::monthlyRequests,
            "daily_tokens", Limits::dailyTokens, "monthly_tokens", Limits::monthlyTokens);

    private WithinTenant() {
    }

    /**
     * Each count the key sets is at most the tenant's where the tenant sets one; a budget's amount is at most the
     * tenant's budget in the same window and currency. {@code before} is the key's stored limits (NONE for a new key).
     */
    static void limits(Limits key, Limits before, Limits tenant) {
        COUNTS.forEach((name, member) -> {
            Long k = member.apply(key);
            Long t = member.apply(tenant);
            if (k != null && t != null && k > t && !k.equals(member.apply(before))) {
                throw new FieldError("limits." + name, "must be at most the tenant's " + t);
            }
        });
        Limits.Budget kb = key.budget();
        Limits.Budget tb = tenant.budget();
        if (kb != null && tb != null && !kb.equals(before.budget()) && kb.window().equals(tb.window())
                && kb.currency().equals(tb.currency()) && kb.amount().compareTo(tb.amount()) > 0) {
            throw new FieldError("limits.budget.amount", "must be at most the tenant's " + tb.amount().toPlainString()
                    + " " + tb.currency() + " " + tb.window());
        }
    }

    /** When the tenant restricts models, every model or pattern the key names lies within the tenant's set. */
    static void models(List<String> key, List<String> tenant) {
        if (key == null || tenant == null || tenant.isEmpty()) {
            return;
        }
        for (int i = 0; i < key.size(); i++) {
            if (!covered(key.get(i), tenant)) {
                throw new FieldError("allowed_models[" + i + "]", "must be within the tenant's allowed models "
                        + String.join(", ", tenant));
            }
        }
    }

    private static boolean covered(String model, List<String> tenant) {
        if (!model.endsWith("*")) {
            return new AllowedModels(tenant).permits(model);
        }
        String prefix = stem(model);
        return tenant.stream().anyMatch(p -> p.endsWith("*") && prefix.startsWith(stem(p)));
    }

    private static String stem(String pattern) {
        return Objects.requireNonNull(pattern).substring(0, pattern.length() - 1).toLowerCase(Locale.ROOT);
    }
}
