// Why: the in-process login throttle (embedded mode) passes the shared throttle contract.
package dev.tollgate.login;

class InProcessLoginThrottleTest extends LoginThrottleContract {
    @Override
    LoginThrottle newThrottle(LoginThrottle.Limits limits) {
        return new InProcessLoginThrottle(limits);
    }
}
