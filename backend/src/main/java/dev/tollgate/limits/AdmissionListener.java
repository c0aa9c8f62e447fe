// Why: things that must react to an admission without slowing it down (the budget alert) plug in here instead of
// the limit engine knowing them.
package dev.tollgate.limits;

import dev.tollgate.keys.Caller;
import java.time.Instant;

public interface AdmissionListener {
    /** Called on the admitting thread (often an event loop): must return at once and never throw. */
    void admitted(Caller caller, Admission.Admitted admission, Instant now);
}
