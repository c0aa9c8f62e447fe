// Why: the login route asks one question before it checks a password ("may this username, from this address, try
// now?") and reports the outcome after. Usernames (case-insensitive) and addresses reach the throttle only as
// keyed hashes: Redis never holds them in clear, and deployments with their own secret never share counters.
package dev.tollgate.login;

import dev.tollgate.storage.Hmac;
import dev.tollgate.storage.ServerSecret;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;

@Singleton
public class LoginGuard {
    private final LoginThrottle throttle;
    private final Hmac hmac;
    private final Clock clock;

    public LoginGuard(LoginThrottle throttle, ServerSecret secret, Clock clock) {
        this.throttle = throttle;
        this.hmac = new Hmac(secret.derive("login-throttle"));
        this.clock = clock;
    }

    /** One counted attempt of a username from an address. */
    public record Attempt(String username, String address) {
    }

    /**
     * Counts an attempt of {@code username} from the request's client, or throws {@link TooManyLogins} when the
     * username or the address has used its attempts.
     */
    public Attempt begin(String username, HttpRequest<?> request) {
        Attempt attempt = new Attempt(subject("u", username.toLowerCase(Locale.ROOT)), subject("a", clientAddress(request)));
        LoginThrottle.Verdict verdict = throttle.attempt(attempt.username(), attempt.address(), clock.instant());
        if (!verdict.allowed()) {
            throw new TooManyLogins(verdict.retryAfterSeconds());
        }
        return attempt;
    }

    /** The password was right: the failure count of the username starts afresh. */
    public void succeeded(Attempt attempt) {
        throttle.succeeded(attempt.username(), attempt.address(), clock.instant());
    }

    /** The connection's remote address (forwarding headers are not trusted: any client could send them). */
    static String clientAddress(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    private String subject(String kind, String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac.sign(kind + ":" + value));
    }
}
