// Why: key events cross process boundaries as text and a bad interval must stop start-up naming its variable;
// both are checked here without a gateway.
package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyEventsTest {
    @Test
    void eventsSurviveTheirWireFormAndUnknownMessagesAreIgnored() {
        for (KeyEvent e : List.of(KeyEvent.key("ab12"), KeyEvent.tenant("ten_1:x"))) {
            assertThat(KeyEvent.parse(e.wire())).contains(e);
        }
        assertThat(KeyEvent.key("ab12").wire()).isEqualTo("key:ab12");
        assertThat(KeyEvent.tenant("ten_1").wire()).isEqualTo("tenant:ten_1");
        for (String bad : new String[] {null, "", "key:", "tenant:", "user:1", "KEY:ab"}) {
            assertThat(KeyEvent.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void localEventsReachEveryListenerEvenAfterOneFails() {
        LocalKeyEvents events = new LocalKeyEvents();
        List<KeyEvent> seen = new ArrayList<>();
        events.subscribe(e -> {
            throw new IllegalStateException("broken listener");
        });
        events.subscribe(seen::add);
        events.publish(KeyEvent.tenant("ten_1"));
        assertThat(seen).containsExactly(KeyEvent.tenant("ten_1"));
    }

    @Test
    void theFlushIntervalIsCheckedNamingItsVariable() {
        KeyProperties p = new KeyProperties();
        assertThat(p.lastUsedFlush()).isEqualTo(Duration.ofSeconds(10));
        p.setLastUsedFlush(Duration.ofSeconds(1));
        assertThat(p.lastUsedFlush()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> p.setLastUsedFlush(Duration.ofMillis(999)))
                .hasMessage("TOLLGATE_LAST_USED_FLUSH: must be between 1s and 10m (got PT0.999S)");
        assertThatThrownBy(() -> p.setLastUsedFlush(Duration.ofMinutes(11))).hasMessageStartingWith("TOLLGATE_LAST_USED_FLUSH:");
        assertThatThrownBy(() -> p.setLastUsedFlush(null)).hasMessageStartingWith("TOLLGATE_LAST_USED_FLUSH:");
    }
}
