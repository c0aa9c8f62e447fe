// Why: model permissions decide what a tenant may use; the matching rules are table-driven here.
package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedModelsTest {

    @ParameterizedTest(name = "{0} permits {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "|llama3.2|true",
            "llama3.2|llama3.2|true",
            "llama3.2|llama3.2:latest|true",
            "llama3.2:latest|LLAMA3.2|true",
            "llama3.2|llama3.2:1b|false",
            "llama3.2:1b|llama3.2|false",
            "qwen*|qwen2.5:0.5b|true",
            "qwen*|llama3.2|false",
            "gpt-4o,llama3.2|gpt-4o|true",
            "hf.co/org/model|hf.co/org/model:latest|true",
    })
    void matching(String patterns, String model, boolean permitted) {
        List<String> list = patterns == null ? null : Arrays.asList(patterns.split(","));
        assertThat(new AllowedModels(list).permits(model)).isEqualTo(permitted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sk-tg-0123456789abcdefghijABCDEFGHIJ01|true",
            "sk-tg-0123456789abcdefghijABCDEFGHIJ0|false",
            "sk-tg-0123456789abcdefghij-BCDEFGHIJ01|false",
            "sk-xx-0123456789abcdefghijABCDEFGHIJ01|false",
    })
    void keyFormat(String key, boolean wellFormed) {
        assertThat(ApiKeyFormat.wellFormed(key)).isEqualTo(wellFormed);
        assertThat(ApiKeyFormat.wellFormed(ApiKeyFormat.generate())).isTrue();
    }
}
