// Why: admin accounts are managed by admins only; usernames are unique whatever their case, passwords are kept
// as bcrypt hashes, and the last admin can be neither deleted nor demoted, so the installation always has one.
package dev.tollgate.users;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.access.Principal;
import dev.tollgate.access.Role;
import dev.tollgate.admin.AdminUserRepository;
import dev.tollgate.admin.AdminUserRow;
import dev.tollgate.admin.Passwords;
import dev.tollgate.audit.AuditAction;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.storage.Ids;
import dev.tollgate.tenants.TenantRepository;
import dev.tollgate.web.Conflict;
import dev.tollgate.web.JsonFields;
import dev.tollgate.web.NotFound;
import dev.tollgate.web.Page;
import io.micronaut.transaction.annotation.Transactional;
import dev.tollgate.sessions.AdminSessions;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

@Singleton
public class UserService {
    private final AdminUserRepository users;
    private final TenantRepository tenants;
    private final AuditLog audit;
    private final AdminSessions sessions;
    private final Clock clock;

    public UserService(AdminUserRepository users, TenantRepository tenants, AuditLog audit, AdminSessions sessions,
                       Clock clock) {
        this.users = users;
        this.tenants = tenants;
        this.audit = audit;
        this.sessions = sessions;
        this.clock = clock;
    }

    @Transactional
    public User create(JsonNode body, Principal principal) {
        principal.requireAdmin();
        JsonFields f = new JsonFields(body, UserFields.NAMES);
        String username = UserFields.username(f);
        String password = UserFields.password(f);
        Role role = UserFields.role(f);
        String tenantId = UserFields.checkTenant(role, UserFields.tenantId(f), tenants);
        requireFree(username, "");
        Instant now = now();
        AdminUserRow row = new AdminUserRow(Ids.next("usr"), username, Passwords.hash(password), role.wire(), tenantId,
                now, now);
        User created = User.of(Conflict.unlessTaken(() -> users.save(row), "username", taken(username)));
        audit.record(principal.actor(), AuditAction.USER_CREATE, created.id(), tenantId, null, created);
        return created;
    }

    public Page<User> list(Principal principal, Integer limit, String cursor) {
        principal.requireAdmin();
        int n = Page.limit(limit);
        return Page.of(users.page(Page.cursor(cursor), n + 1), n, AdminUserRow::id, User::of);
    }

    public User get(Principal principal, String id) {
        principal.requireAdmin();
        return User.of(row(id));
    }

    /**
     * Changes username, password, role or tenant. A role other than tenant_admin drops the tenant; becoming a
     * tenant_admin needs a tenant_id.
     */
    @Transactional
    public User update(String id, JsonNode body, Principal principal) {
        principal.requireAdmin();
        AdminUserRow row = row(id);
        JsonFields f = new JsonFields(body, UserFields.NAMES);
        String username = f.has("username") ? UserFields.username(f) : row.username();
        String password = f.has("password") ? UserFields.password(f) : null;
        Role role = f.has("role") ? UserFields.role(f) : Role.parse(row.role()).orElseThrow();
        String tenant = f.has("tenant_id") ? UserFields.tenantId(f) : role == Role.TENANT_ADMIN ? row.tenantId() : null;
        String tenantId = UserFields.checkTenant(role, tenant, tenants);
        if (!username.equalsIgnoreCase(row.username())) {
            requireFree(username, id);
        }
        if (role != Role.ADMIN) {
            requireAnotherAdmin(row, "role", "The last admin cannot be demoted; make another user admin first.");
        }
        String hash = password == null ? row.passwordHash() : Passwords.hash(password);
        AdminUserRow updated = new AdminUserRow(id, username, hash, role.wire(), tenantId, row.createdAt(), now());
        User after = User.of(Conflict.unlessTaken(() -> users.update(updated), "username", taken(username)));
        if (password != null) {
            // a password set by an admin ends the user's sessions: whoever knew the old one is logged out everywhere
            sessions.revokeAll(id, null);
        }
        audit.record(principal.actor(), AuditAction.USER_UPDATE, id, tenantId != null ? tenantId : row.tenantId(),
                User.of(row), after);
        return after;
    }

    @Transactional
    public void delete(String id, Principal principal) {
        principal.requireAdmin();
        AdminUserRow row = row(id);
        requireAnotherAdmin(row, null, "The last admin cannot be deleted; make another user admin first.");
        users.deleteById(id);
        audit.record(principal.actor(), AuditAction.USER_DELETE, id, row.tenantId(), User.of(row), null);
    }

    /** Now, at the precision the database keeps, so an answer shows the times a later read shows. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private AdminUserRow row(String id) {
        return users.findById(id).orElseThrow(() -> new NotFound("user"));
    }

    private void requireFree(String username, String exceptId) {
        if (users.usernameTaken(username, exceptId)) {
            throw new Conflict("username", "a user named '" + username + "' already exists");
        }
    }

    /** Refuses to take the admin role from {@code row} when it is the only admin (admins' rows locked meanwhile). */
    private void requireAnotherAdmin(AdminUserRow row, String field, String message) {
        if (row.role().equals(Role.ADMIN.wire()) && users.lockAdmins().stream().noneMatch(a -> !a.equals(row.id()))) {
            throw new Conflict(field, message);
        }
    }

    private static String taken(String username) {
        return "a user named '" + username + "' already exists";
    }
}
