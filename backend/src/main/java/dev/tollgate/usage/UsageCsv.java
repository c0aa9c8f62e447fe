// Why: operators load the usage report into spreadsheets and scripts; names are free text (commas, quotes, line
// breaks), so fields are quoted as RFC 4180 says, and a name that a spreadsheet would run as a formula is defused.
package dev.tollgate.usage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The report's rows as CSV: a header line, then one line per row, CRLF line ends (no totals line). */
public final class UsageCsv {
    private UsageCsv() {
    }

    public static String of(UsageReport.Result report) {
        GroupBy g = report.query().groupBy();
        List<String> header = new ArrayList<>(g.labels());
        header.addAll(Arrays.asList(UsageSums.NAMES));
        StringBuilder out = new StringBuilder();
        line(out, header.toArray());
        for (UsageRow row : report.rows()) {
            List<Object> cells = new ArrayList<>(row.labels());
            cells.addAll(Arrays.asList(row.sums().values()));
            line(out, cells.toArray());
        }
        return out.toString();
    }

    /** The download's file name, e.g. {@code tollgate-usage-by-day-2026-03-01-to-2026-03-31.csv}. */
    public static String fileName(UsageQuery q) {
        return "tollgate-usage-by-" + q.groupBy().param() + "-" + q.from() + "-to-" + q.to() + ".csv";
    }

    private static void line(StringBuilder out, Object[] cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            Object c = cells[i];
            out.append(c instanceof String s ? field(s) : c instanceof BigDecimal d ? d.toPlainString() : c == null ? "" : c);
        }
        out.append("\r\n");
    }

    /**
     * A text field: quoted when it holds a comma, quote or line break (quotes doubled), and prefixed with an
     * apostrophe when it starts like a spreadsheet formula (=, +, -, @, tab, CR), as OWASP advises for CSV exports.
     */
    static String field(String s) {
        String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
