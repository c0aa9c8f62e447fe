// Why: Ollama's last line can be far longer than a token line (a "context" array of many KB); the decoder must
// still read its counts without buffering it whole, and must parse only the line that says it is done.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NdjsonDecoderTest {
    private static final String TOKEN = "{\"model\":\"llama3.2\",\"response\":\"The\",\"done\":false}\n";

    private static String doneLine(int contextInts) {
        StringBuilder sb = new StringBuilder("{\"model\":\"llama3.2\",\"response\":\"\",\"done\": true,\"context\":[");
        for (int i = 0; i < contextInts; i++) {
            sb.append(i == 0 ? "" : ",").append(128000 + i);
        }
        return sb.append("],\"prompt_eval_count\":26,\"eval_count\":259}\n").toString();
    }

    @Test
    void readsALastLineLongerThanTheCapAsItArrives() {
        byte[] body = Fixtures.bytes(TOKEN + doneLine(2000) + TOKEN.replace("The", "x"));
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 50; round++) {
            NdjsonDecoder decoder = new NdjsonDecoder(256);
            assertThat(Fixtures.decode(decoder, Fixtures.randomCut(body, 2 + random.nextInt(40), random)))
                    .isEqualTo(new Usage(26, 259));
        }
    }

    @Test
    void readsAMegabytesLongContextWithTheDefaultCap() {
        byte[] body = Fixtures.bytes(TOKEN + doneLine(400_000));
        assertThat(body.length).isGreaterThan(UsageFormat.MAX_EVENT_BYTES);
        SplittableRandom random = new SplittableRandom(3);
        assertThat(Fixtures.decode(UsageFormat.OLLAMA_NDJSON.decoder(false), Fixtures.randomCut(body, 40, random)))
                .isEqualTo(new Usage(26, 259));
    }

    @Test
    void countsOnlyALineThatSaysDone() {
        String notDone = "{\"response\":\"x\",\"done\":false,\"prompt_eval_count\":3,\"eval_count\":4}\n";
        String quoted = "{\"response\":\"\\\"done\\\":true\",\"done\":false,\"prompt_eval_count\":5,\"eval_count\":6}\n";
        assertThat(Fixtures.decode(new NdjsonDecoder(1024), Fixtures.cut(Fixtures.bytes(notDone + quoted)))).isNull();
        String longNotDone = notDone.replace("\"x\"", "\"" + "x".repeat(500) + "\"");
        assertThat(Fixtures.decode(new NdjsonDecoder(64), Fixtures.cut(Fixtures.bytes(longNotDone)))).isNull();
    }

    @Test
    void readsPrettyPrintedDoneAndAFinalLineWithoutNewline() {
        String body = TOKEN + "{\"done\" :\ttrue, \"eval_count\": 7}";
        assertThat(Fixtures.decode(new NdjsonDecoder(1024), Fixtures.cut(Fixtures.bytes(body))))
                .isEqualTo(new Usage(0, 7));
    }

    @Test
    void ignoresMalformedLinesAndKeepsTheLastReport() {
        String body = "{\"done\":true,\"prompt_eval_count\":1,\"eval_count\":2}\n"
                + "{\"done\":true,\"prompt_eval_count\":\n"
                + "not json at all\n"
                + "{\"error\":\"model crashed\"}\n";
        assertThat(Fixtures.decode(new NdjsonDecoder(1024), Fixtures.cut(Fixtures.bytes(body))))
                .isEqualTo(new Usage(1, 2));
    }
}
