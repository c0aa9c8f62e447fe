// Why: admin sessions are part of the admin API contract (server-side sessions ended by logout and password
// changes, /me, the console's cookie with CSRF protection, login throttling per username and per address); these
// checks run in every storage mode through GatewayContract. Throttle checks connect from loopback addresses of
// their own (FromAddress), so the suite's other logins from 127.0.0.1 are never throttled.
package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.admin.AdminUserRepository;
import dev.tollgate.admin.AdminUserRow;
import dev.tollgate.admin.Passwords;
import dev.tollgate.sessions.AdminSessions;
import dev.tollgate.storage.Ids;
import dev.tollgate.support.FromAddress;
import dev.tollgate.support.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Admin API checks of sessions, logout, /me, password change, cookies, CSRF and login throttling. */
public interface SessionsApiContract {
    String PASSWORD = "correct-horse-battery";

    TestGateway gateway();

    /** A user of {@code role} (and tenant) with {@link #PASSWORD}, stored directly: user management is not tested here. */
    private AdminUserRow user(String role, String tenantId) {
        Instant now = Instant.now();
        AdminUserRow row = new AdminUserRow(Ids.next("usr"), "sess-" + role + "-" + System.nanoTime(), Passwords.hash(PASSWORD),
                role, tenantId, now, now);
        return gateway().running().context().getBean(AdminUserRepository.class).save(row);
    }

    private HttpResponse<String> login(String username, String password, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return gateway().send(b.build());
    }

    private String token(String username, String password) {
        HttpResponse<String> r = login(username, password);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r.body()).path("token").asText();
    }

    /** Calls {@code /admin/api<path>} with the given headers (name, value, ...). */
    private HttpResponse<String> call(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway().adminUrl() + "/admin/api" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return gateway().send(b.build());
    }

    private HttpResponse<String> bearer(String method, String path, String token, String body) {
        return call(method, path, body, "Authorization", "Bearer " + token);
    }

    /** The attributes of one Set-Cookie header, lower-cased, the first being {@code name=value}. */
    private static List<String> cookie(HttpResponse<String> r, String name) {
        String header = r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + r.headers().allValues("set-cookie")));
        return Arrays.stream(header.split(";")).map(String::trim).toList();
    }

    private static String cookieValue(HttpResponse<String> r, String name) {
        return cookie(r, name).get(0).substring(name.length() + 1);
    }

    private static Set<String> attributes(List<String> cookie) {
        return cookie.stream().skip(1).map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static void assertAdminError(String body) {
        JsonNode error = TestGateway.json(body).path("error");
        assertThat(error.path("message").asText()).as(body).isNotBlank();
        assertThat(error.path("field").isNull()).as(body).isTrue();
    }

    @Test
    default void loginSetsTheSessionAndCsrfCookiesBesideTheToken() {
        AdminUserRow u = user("viewer", null);
        HttpResponse<String> r = login(u.username(), PASSWORD);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(r.body());
        String token = body.path("token").asText();
        Duration left = Duration.between(Instant.now(), Instant.parse(body.path("expires_at").asText()));
        assertThat(left).isBetween(Duration.ofHours(12).minusMinutes(1), Duration.ofHours(12));
        List<String> session = cookie(r, "tollgate_session");
        assertThat(session.get(0)).isEqualTo("tollgate_session=" + token);
        assertThat(attributes(session)).contains("httponly", "samesite=strict", "path=/", "max-age=43200").doesNotContain("secure");
        List<String> csrf = cookie(r, "tollgate_csrf");
        assertThat(attributes(csrf)).contains("samesite=strict", "path=/", "max-age=43200").doesNotContain("httponly", "secure");
        assertThat(cookieValue(r, "tollgate_csrf")).isNotBlank().isNotEqualTo(token);

        HttpResponse<String> proxied = login(u.username(), PASSWORD, "X-Forwarded-Proto", "https");
        assertThat(attributes(cookie(proxied, "tollgate_session"))).contains("secure", "httponly");
        assertThat(attributes(cookie(proxied, "tollgate_csrf"))).contains("secure");
        assertThat(cookieValue(proxied, "tollgate_csrf")).isNotEqualTo(cookieValue(r, "tollgate_csrf"));
    }

    @Test
    default void meShowsTheSessionsUserForEveryRole() {
        String tenant = TestGateway.json(gateway().admin("POST", "/tenants", "{\"name\":\"me-" + System.nanoTime() + "\"}").body())
                .path("id").asText();
        for (AdminUserRow u : List.of(user("admin", null), user("tenant_admin", tenant), user("viewer", null))) {
            HttpResponse<String> r = bearer("GET", "/me", token(u.username(), PASSWORD), null);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode me = TestGateway.json(r.body());
            assertThat(me.path("id").asText()).isEqualTo(u.id());
            assertThat(me.path("username").asText()).isEqualTo(u.username());
            assertThat(me.path("role").asText()).isEqualTo(u.role());
            assertThat(me.path("tenant_id").isNull() ? null : me.path("tenant_id").asText()).isEqualTo(u.tenantId());
            assertThat(me.size()).isEqualTo(4);
        }
        assertThat(call("GET", "/me", null).statusCode()).isEqualTo(401);
    }

    @Test
    default void logoutEndsTheSessionAndClearsTheCookies() {
        AdminUserRow u = user("viewer", null);
        String token = token(u.username(), PASSWORD);
        String other = token(u.username(), PASSWORD);
        HttpResponse<String> out = bearer("POST", "/logout", token, null);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(cookie(out, "tollgate_session").get(0)).isEqualTo("tollgate_session=");
        assertThat(attributes(cookie(out, "tollgate_session"))).contains("max-age=0", "httponly", "path=/");
        assertThat(attributes(cookie(out, "tollgate_csrf"))).contains("max-age=0", "path=/");
        for (String path : List.of("/me", "/tenants", "/audit")) {
            HttpResponse<String> r = bearer("GET", path, token, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertAdminError(r.body());
        }
        assertThat(bearer("POST", "/logout", token, null).statusCode()).isEqualTo(401);
        assertThat(bearer("GET", "/me", other, null).statusCode()).as("another session of the user lives on").isEqualTo(200);
    }

    @Test
    default void revokeAllEndsEverySessionOfOneUser() {
        AdminUserRow u = user("viewer", null);
        AdminUserRow bystander = user("viewer", null);
        List<String> tokens = List.of(token(u.username(), PASSWORD), token(u.username(), PASSWORD));
        String kept = token(bystander.username(), PASSWORD);
        AdminSessions sessions = gateway().running().context().getBean(AdminSessions.class);
        assertThat(sessions.revokeAll(u.id(), null)).isEqualTo(2);
        tokens.forEach(t -> assertThat(bearer("GET", "/me", t, null).statusCode()).isEqualTo(401));
        assertThat(bearer("GET", "/me", kept, null).statusCode()).isEqualTo(200);
        assertThat(sessions.revokeAll(u.id(), null)).isZero();
    }

    @Test
    default void aRemovedUsersSessionsEnd() {
        AdminUserRow u = user("admin", null);
        String token = token(u.username(), PASSWORD);
        assertThat(bearer("GET", "/tenants", token, null).statusCode()).isEqualTo(200);
        gateway().running().context().getBean(AdminUserRepository.class).deleteById(u.id());
        assertThat(bearer("GET", "/tenants", token, null).statusCode()).isEqualTo(401);
        assertThat(bearer("GET", "/me", token, null).statusCode()).isEqualTo(401);
    }

    @Test
    default void passwordChangeChecksTheCurrentOneAndEndsTheOtherSessions() {
        AdminUserRow u = user("viewer", null);
        String mine = token(u.username(), PASSWORD);
        String other = token(u.username(), PASSWORD);
        String longPassword = "p".repeat(100) + "é".repeat(50);
        String[][] refused = {
                {"{\"current_password\":\"wrong-password-x\",\"new_password\":\"" + longPassword + "\"}", "current_password"},
                {"{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"short-pass1\"}", "new_password"},
                {"{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + "x".repeat(201) + "\"}", "new_password"},
                {"{\"current_password\":\"" + PASSWORD + "\",\"new_password\":12345678901234}", "new_password"},
                {"{\"current_password\":\"" + PASSWORD + "\"}", "new_password"},
                {"{\"new_password\":\"" + longPassword + "\"}", "current_password"},
                {"{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + longPassword + "\",\"role\":\"admin\"}", "role"},
        };
        for (String[] c : refused) {
            HttpResponse<String> r = bearer("POST", "/me/password", mine, c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(TestGateway.json(r.body()).path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(bearer("GET", "/me", other, null).statusCode()).as("nothing changed yet").isEqualTo(200);

        HttpResponse<String> changed = bearer("POST", "/me/password", mine,
                "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + longPassword + "\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);
        assertThat(bearer("GET", "/me", other, null).statusCode()).isEqualTo(401);
        assertThat(bearer("GET", "/me", mine, null).statusCode()).isEqualTo(200);
        assertThat(login(u.username(), PASSWORD).statusCode()).isEqualTo(401);
        assertThat(login(u.username(), "p".repeat(100) + "é".repeat(49) + "e").statusCode())
                .as("every character of a long password counts").isEqualTo(401);
        assertThat(login(u.username(), longPassword).statusCode()).isEqualTo(200);
    }

    @Test
    default void theConsoleCookieNeedsTheCsrfHeaderForChanges() {
        AdminUserRow u = user("admin", null);
        HttpResponse<String> in = login(u.username(), PASSWORD);
        String cookies = "tollgate_session=" + cookieValue(in, "tollgate_session") + "; tollgate_csrf=" + cookieValue(in, "tollgate_csrf");
        String csrf = cookieValue(in, "tollgate_csrf");
        String otherCsrf = cookieValue(login(u.username(), PASSWORD), "tollgate_csrf");
        assertThat(call("GET", "/me", null, "Cookie", cookies).statusCode()).isEqualTo(200);

        String name = "csrf-" + System.nanoTime();
        String create = "{\"name\":\"" + name + "\"}";
        for (String[] headers : List.of(new String[] {"Cookie", cookies},
                new String[] {"Cookie", cookies, "X-CSRF-Token", "forged"},
                new String[] {"Cookie", cookies, "X-CSRF-Token", otherCsrf})) {
            HttpResponse<String> r = call("POST", "/tenants", create, headers);
            assertThat(r.statusCode()).as(String.join(" ", headers)).isEqualTo(403);
            assertAdminError(r.body());
            assertThat(r.body()).contains("X-CSRF-Token");
        }
        assertThat(gateway().admin("GET", "/tenants?limit=500", null).body()).doesNotContain(name);
        HttpResponse<String> created = call("POST", "/tenants", create, "Cookie", cookies, "X-CSRF-Token", csrf);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = TestGateway.json(in.body()).path("token").asText();
        assertThat(call("POST", "/tenants", "{\"name\":\"" + name + "-b\"}", "Authorization", "Bearer " + token, "Cookie", "tollgate_csrf=x")
                .statusCode()).as("a bearer token needs no CSRF header").isEqualTo(201);

        assertThat(call("POST", "/logout", null, "Cookie", cookies).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/logout", null, "Cookie", cookies, "X-CSRF-Token", csrf).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/me", null, "Cookie", cookies).statusCode()).isEqualTo(401);
    }

    @Test
    default void failedLoginsAreThrottledPerUsernameWithoutCheckingThePassword() {
        String from = FromAddress.randomLoopback();
        AdminUserRow u = user("viewer", null);
        String good = "{\"username\":\"" + u.username() + "\",\"password\":\"" + PASSWORD + "\"}";
        String bad = "{\"username\":\"" + u.username().toUpperCase(Locale.ROOT) + "\",\"password\":\"nope-nope-nope\"}";
        for (int i = 0; i < 2; i++) {
            assertThat(FromAddress.post(from, gateway().adminUrl(), "/admin/api/login", bad).status()).isEqualTo(401);
        }
        assertThat(FromAddress.post(from, gateway().adminUrl(), "/admin/api/login", good).status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(FromAddress.post(from, gateway().adminUrl(), "/admin/api/login", bad).status())
                    .as("a success cleared the two failures before it; failure " + (i + 1)).isEqualTo(401);
        }
        FromAddress.Response refused = FromAddress.post(from, gateway().adminUrl(), "/admin/api/login", good);
        assertThat(refused.status()).as("the right password is not even checked").isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().get("retry-after"))).isBetween(1L, 900L);
        assertAdminError(refused.body());
        assertThat(FromAddress.post(FromAddress.randomLoopback(), gateway().adminUrl(), "/admin/api/login", good).status())
                .as("the username is throttled from every address").isEqualTo(429);

        String ghost = "{\"username\":\"ghost-" + System.nanoTime() + "\",\"password\":\"whatever-it-is\"}";
        String elsewhere = FromAddress.randomLoopback();
        for (int i = 0; i < 5; i++) {
            assertThat(FromAddress.post(elsewhere, gateway().adminUrl(), "/admin/api/login", ghost).status()).isEqualTo(401);
        }
        FromAddress.Response unknown = FromAddress.post(elsewhere, gateway().adminUrl(), "/admin/api/login", ghost);
        assertThat(unknown.status()).as("unknown usernames are throttled alike").isEqualTo(429);
        assertThat(unknown.headers()).containsKey("retry-after");
        assertThat(FromAddress.post(elsewhere, gateway().adminUrl(), "/admin/api/login", "{\"username\":1}").status())
                .as("a malformed body is refused before it counts").isEqualTo(400);
    }

    @Test
    default void failedLoginsAreThrottledPerAddress() {
        String from = FromAddress.randomLoopback();
        for (int i = 0; i < 20; i++) {
            String guess = "{\"username\":\"spray-" + i + "-" + System.nanoTime() + "\",\"password\":\"guess-guess\"}";
            assertThat(FromAddress.post(from, gateway().adminUrl(), "/admin/api/login", guess).status()).as("guess " + i).isEqualTo(401);
        }
        AdminUserRow u = user("viewer", null);
        String good = "{\"username\":\"" + u.username() + "\",\"password\":\"" + PASSWORD + "\"}";
        FromAddress.Response refused = FromAddress.post(from, gateway().adminUrl(), "/admin/api/login", good);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().get("retry-after"))).isBetween(1L, 900L);
        assertThat(FromAddress.post(FromAddress.randomLoopback(), gateway().adminUrl(), "/admin/api/login", good).status())
                .as("another address may still log in").isEqualTo(200);
    }
}
