// Why: a fresh installation needs a first super-admin; exactly one replica creates it and prints a generated
// password once.
package dev.tollgate.admin;

import dev.tollgate.config.Settings;
import dev.tollgate.storage.Ids;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Context
public class AdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    private final AdminUserRepository users;
    private final Settings settings;
    private final Clock clock;

    public AdminBootstrap(AdminUserRepository users, Settings settings, Clock clock) {
        this.users = users;
        this.settings = settings;
        this.clock = clock;
    }

    @PostConstruct
    void createFirstAdmin() {
        if (users.count() > 0) {
            return;
        }
        boolean generated = settings.adminPassword() == null;
        String password = generated ? Ids.random(24) : settings.adminPassword();
        long created = users.insertIfAbsent(Ids.next("usr"), "admin", Passwords.hash(password), "admin", clock.instant());
        if (created == 0) {
            return;
        }
        if (generated) {
            // printed once, on purpose, so the operator can log in; it is never stored in plaintext
            System.out.println("tollgate: created super-admin 'admin' with password: " + password
                    + "  (shown once; set TOLLGATE_ADMIN_PASSWORD to choose it)");
        } else {
            LOG.info("Created super-admin 'admin' with the password from TOLLGATE_ADMIN_PASSWORD");
        }
    }
}
