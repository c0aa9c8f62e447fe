// Why: admin controllers take raw bytes and validate them field by field (so a 400 can name the field); these
// records only describe those bodies to the OpenAPI document. Nothing deserialises into them.
package dev.tollgate.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.limits.Limits;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

public final class Bodies {
    private Bodies() {
    }

    @Introspected
    @Schema(name = "LoginInput")
    public record Login(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String username,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String password) {
    }

    @Introspected
    @Schema(name = "TenantInput", description = "POST requires name; PATCH changes only the members given.")
    public record Tenant(
            @Schema(minLength = 1, maxLength = 200, description = "Unique, case-insensitively.") String name,
            @Nullable @Schema(nullable = true, description = "null: unlimited") Limits limits,
            @JsonProperty("allowed_models") @Nullable
            @Schema(nullable = true, description = "Model names or patterns (e.g. qwen*); null: every model") List<String> allowedModels,
            @Nullable Boolean disabled) {
    }

    @Introspected
    @Schema(name = "KeyInput", description = "POST requires name; PATCH changes only the members given.")
    public record Key(
            @Schema(minLength = 1, maxLength = 200) String name,
            @Nullable @Schema(nullable = true, description = "null: unlimited (the tenant's limits still apply)") Limits limits,
            @JsonProperty("allowed_models") @Nullable
            @Schema(nullable = true, description = "Within the tenant's models; null: every model the tenant may use") List<String> allowedModels,
            @JsonProperty("expires_at") @Nullable
            @Schema(nullable = true, description = "ISO 8601 with offset, in the future") OffsetDateTime expiresAt,
            @JsonProperty("log_prompts") @Nullable Boolean logPrompts) {
    }

    @Introspected
    @Schema(name = "RotateInput")
    public record Rotate(@JsonProperty("grace_seconds") @Nullable
                         @Schema(nullable = true, minimum = "0", description = "How long the old key keeps working; none: stops at once")
                         Long graceSeconds) {
    }

    @Introspected
    @Schema(name = "UserInput", description = "POST requires username, password and role; PATCH changes only the members given.")
    public record User(String username, String password,
                       @Schema(allowableValues = {"admin", "tenant_admin", "viewer"}) String role,
                       @JsonProperty("tenant_id") @Nullable @Schema(nullable = true, description = "Required for tenant_admin") String tenantId) {
    }

    @Introspected
    @Schema(name = "PasswordChange")
    public record Password(
            @JsonProperty("current_password") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String currentPassword,
            @JsonProperty("new_password") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 12, maxLength = 200) String newPassword) {
    }

    @Introspected
    @Schema(name = "UpstreamInput", description = "POST requires name, kind and base_url; PATCH changes only the members given.")
    public record Upstream(
            @Schema(minLength = 1, maxLength = 100, description = "Unique, case-insensitively.") String name,
            @Schema(allowableValues = {"ollama", "openai"}) String kind,
            @JsonProperty("base_url")
            @Schema(maxLength = 2048, description = "Absolute http(s) URL without user info, query or fragment") String baseUrl,
            @JsonProperty("api_key") @Nullable
            @Schema(nullable = true, maxLength = 4096, writeOnly = true, description = "Sent to the upstream; never shown (answers have has_api_key). null removes it")
            String apiKey,
            @Nullable @Schema(minimum = "1", maximum = "1000", defaultValue = "1") Integer weight,
            @Nullable @Schema(defaultValue = "true") Boolean enabled) {
    }

    /** The usage report in JSON (the same rows are available as CSV). */
    @Introspected
    @Schema(name = "UsageReport")
    public record Usage(String from, String to, @JsonProperty("group_by") String groupBy,
                        @Schema(description = "One object per group: the group field, requests, prompt_tokens, completion_tokens, cost")
                        List<Map<String, Object>> rows,
                        Map<String, Object> totals) {
    }
}
