// Why: report, request-log and retention tests need rows at chosen times with chosen counts; writing them through
// the real LedgerWriter keeps request_log and the usage_daily rollups exactly as the gateway would leave them.
package dev.tollgate.usage;

import dev.tollgate.config.Settings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

public final class LedgerSeeder {
    private static final AtomicLong SEQ = new AtomicLong();
    private final DataSource dataSource;
    private final LedgerWriter writer;

    public LedgerSeeder(DataSource dataSource, ZoneId zone) {
        this.dataSource = dataSource;
        this.writer = new LedgerWriter(dataSource, zone);
    }

    /** Writes into the database of a running gateway, with its TOLLGATE_TIMEZONE. */
    public static LedgerSeeder of(ApplicationContext context) {
        DataSource ds = context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
        return new LedgerSeeder(ds, context.getBean(Settings.class).timezone());
    }

    public void write(List<Call> calls) {
        try {
            writer.write(calls.stream().map(Call::record).toList());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Call... calls) {
        write(List.of(calls));
    }

    /** Runs one statement with {@code args} bound in order (state the gateway's API cannot create). */
    public void sql(String statement, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A complete, streamed OpenAI chat call of {@code key} at {@code at}, to be changed with the setters. */
    public static Call call(String tenant, String key, Instant at) {
        return new Call(tenant, key, at);
    }

    /** A row to be written. */
    public static final class Call {
        private final String tenant;
        private final String key;
        private final Instant at;
        private String id = "req_t" + Long.toString(System.nanoTime(), 36) + "x" + SEQ.incrementAndGet();
        private String model = "llama3.2";
        private String upstream = "local";
        private int status = 200;
        private long promptTokens;
        private long completionTokens;
        private long costMicros;
        private boolean estimated;
        private Integer ttfbMs = 12;
        private boolean stream = true;
        private String errorCode;
        private String prompt;

        private Call(String tenant, String key, Instant at) {
            this.tenant = tenant;
            this.key = key;
            this.at = at;
        }

        public String id() {
            return id;
        }

        public Instant at() {
            return at;
        }

        public Call id(String requestId) {
            this.id = requestId;
            return this;
        }

        public Call model(String name) {
            this.model = name;
            return this;
        }

        /** Prompt and completion tokens and the cost in micro-dollars. */
        public Call usage(long prompt, long completion, long micros) {
            this.promptTokens = prompt;
            this.completionTokens = completion;
            this.costMicros = micros;
            return this;
        }

        /** A failed call: the status the client got, why, no upstream answer and counts of Tollgate's own. */
        public Call failed(int code, String why) {
            this.status = code;
            this.errorCode = why;
            this.upstream = null;
            this.ttfbMs = null;
            this.stream = false;
            this.estimated = true;
            return this;
        }

        public Call prompt(String body) {
            this.prompt = body;
            return this;
        }

        RequestRecord record() {
            return new RequestRecord(id, at, tenant, key, model, upstream, "/v1/chat/completions", "openai", status,
                    promptTokens, completionTokens, estimated, costMicros, ttfbMs, 340, stream, errorCode, prompt);
        }
    }
}
