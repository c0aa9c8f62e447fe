// Why: report names are free text that ends up in spreadsheets: fields must be quoted as RFC 4180 says and a
// name that a spreadsheet would run as a formula must be defused.
package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsageCsvTest {
    @Test
    void csvFieldsAreQuotedAndFormulasDefused() {
        assertThat(UsageCsv.field("plain")).isEqualTo("plain");
        assertThat(UsageCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(UsageCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(UsageCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(UsageCsv.field("=1+2")).isEqualTo("'=1+2");
        assertThat(UsageCsv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(UsageCsv.field("")).isEmpty();
    }
}
