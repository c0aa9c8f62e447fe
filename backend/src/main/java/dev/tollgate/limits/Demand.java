// Why: what one request asks of its limits at admission: one request (implied), the tokens it may use and what
// they may cost. The proxy computes it only when the caller has limits at all.
package dev.tollgate.limits;

public record Demand(long tokens, long costMicros) {
}
