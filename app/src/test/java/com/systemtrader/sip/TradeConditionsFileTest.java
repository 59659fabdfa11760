package com.systemtrader.sip;

import static com.systemtrader.sip.Times.REGULAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.schema.Conditions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The versioned table file: its content against protocols.md 4.1/4.2, and how a broken file fails. */
class TradeConditionsFileTest {
    /**
     * protocols.md 4.1, typed in again with ranges expanded: id, then Y/n for high/low, open/close, volume.
     * A second copy on purpose: a slip in the data file shows up as a difference.
     */
    private static final String TABLE_4_1 = """
            0 YYY  1 YYY  2 nnY  3 YYY  4 YYY  5 YnY  6 YYY  7 nnY  8 YYY  9 YYY  10 YnY 11 YYY 12 nnY 13 nnY
            14 YYY 15 nnn 16 nnn 17 YYY 18 YYY 19 YYY 20 nnY 21 nnY 22 YnY 23 YYY 24 YYY 25 YYY 28 YYY 27 YYY
            29 nnY 30 YYY 31 YYY 32 YnY 33 YnY 34 YYY 35 YYY 36 YYY 37 nnY 38 YYn 41 YYY 52 nnY 53 nnY 55 YYY
            57 YYY 58 YYY 59 YYY 60 YYY 62 YYY 63 YYY 64 YYY 65 YYY 66 YYY 67 YYY 68 YYY 69 YYY 70 YYY 71 YYY
            """;
    /** The letter tables as derived from the 4.1 meanings, with Alpaca's 4.2 exclusions (9 sets no close). */
    private static final String CTA = """
            @ YYY  _ YYY  B nnY  C nnY  E YYY  F YYY  H nnY  I nnY  K YYY  L YYY  M nnn  N nnY  O YYY  P YnY
            Q nnn  R nnY  T nnY  U nnY  V nnY  X YYY  Z YnY  4 YnY  5 YYY  6 YYY  7 nnY  9 Ynn
            """;
    private static final String UTP = """
            @ YYY  A YYY  B YYY  C nnY  D YYY  F YYY  G YnY  H nnY  I nnY  K YYY  L YYY  M nnn  N nnY  O YYY
            P YnY  Q nnn  R nnY  T nnY  U nnY  V nnY  W nnY  X YYY  Y YYY  Z YnY  1 YYY  4 YnY  5 YYY  6 YYY
            7 nnY  9 Ynn
            """;

    private static int expected(String rule) {
        int b = 0;
        if (rule.charAt(0) == 'Y') b |= Eligibility.HIGH_LOW | Eligibility.BAR_HIGH_LOW;
        if (rule.charAt(1) == 'Y') b |= Eligibility.OPEN_CLOSE | Eligibility.BAR_OPEN_CLOSE;
        if (rule.charAt(2) == 'Y') b |= Eligibility.VOLUME;
        return b;
    }

    private static List<String[]> pairs(String table) {
        List<String[]> out = new ArrayList<>();
        String[] t = table.trim().split("\\s+");
        for (int i = 0; i < t.length; i += 2) out.add(new String[] {t[i].replace('_', ' '), t[i + 1]});
        return out;
    }

    @Test
    void everyRowOfTheProtocolsTableIsInTheFileWithItsRule() {
        TradeEligibility rules = TradeEligibility.standard();
        List<String[]> rows = pairs(TABLE_4_1);
        assertThat(rows).hasSize(56);
        for (String[] row : rows) {
            int id = Integer.parseInt(row[0]);
            assertThat(Eligibility.toString(rules.ids(Conditions.of(id), REGULAR))).as("Polygon id %d", id)
                    .isEqualTo(Eligibility.toString(expected(row[1])));
        }
    }

    @Test
    void everyLetterRowHasItsRule() {
        TradeEligibility rules = TradeEligibility.standard();
        for (String[] row : pairs(CTA)) {
            for (char tape : new char[] {'A', 'B'}) {
                assertThat(Eligibility.toString(rules.letters(Conditions.ofLetters(row[0]), tape, REGULAR)))
                        .as("CTA '%s' on tape %s", row[0], tape).isEqualTo(Eligibility.toString(expected(row[1])));
            }
        }
        for (String[] row : pairs(UTP)) {
            assertThat(Eligibility.toString(rules.letters(Conditions.ofLetters(row[0]), 'C', REGULAR)))
                    .as("UTP '%s'", row[0]).isEqualTo(Eligibility.toString(expected(row[1])));
        }
    }

    /** The file lists exactly these rows, each with a name, and only Form T carries the extended-hours rule. */
    @Test
    void theFileHasExactlyTheseRowsAndEachParses() throws Exception {
        JsonNode root;
        try (InputStream in = TradeEligibility.class.getResourceAsStream(TradeEligibility.RESOURCE)) {
            root = new ObjectMapper().readTree(in);
        }
        assertThat(root.get("version").asText()).matches("\\d{4}-\\d{2}-\\d{2}\\.\\d+");
        assertThat(keys(root.get("polygon"))).containsExactlyInAnyOrderElementsOf(
                pairs(TABLE_4_1).stream().map(p -> p[0]).toList());
        assertThat(keys(root.get("cta"))).containsExactlyInAnyOrderElementsOf(
                pairs(CTA).stream().map(p -> p[0]).toList());
        assertThat(keys(root.get("utp"))).containsExactlyInAnyOrderElementsOf(
                pairs(UTP).stream().map(p -> p[0]).toList());
        List<String> formT = new ArrayList<>();
        for (String table : new String[] {"polygon", "cta", "utp"}) {
            for (Iterator<String> it = root.get(table).fieldNames(); it.hasNext(); ) {
                String key = it.next();
                JsonNode row = root.get(table).get(key);
                assertThat(row.get("name").asText()).as("%s %s", table, key).isNotBlank();
                if (row.path("extended_hours_bar_prices").asBoolean()) formT.add(table + " " + key);
            }
        }
        assertThat(formT).containsExactlyInAnyOrder("polygon 12", "cta T", "utp T");
    }

    private static List<String> keys(JsonNode table) {
        List<String> out = new ArrayList<>();
        table.fieldNames().forEachRemaining(out::add);
        return out;
    }

    // ---- broken files ----

    private static final String ROW = """
            {"name": "Odd Lot", "updates_high_low": false, "updates_open_close": false, "updates_volume": true}""";

    private static String file(String polygonRows, String ctaRows, String utpRows) {
        return "{\n  \"version\": \"test.1\",\n  \"sources\": \"a test\",\n  \"polygon\": {" + polygonRows
                + "},\n  \"cta\": {" + ctaRows + "},\n  \"utp\": {" + utpRows + "}\n}\n";
    }

    private static TradeEligibility load(String text) {
        return TradeEligibility.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "broken.json");
    }

    @Test
    void aSmallValidFileLoads() {
        TradeEligibility t = load(file("\"37\": " + ROW, "\"I\": " + ROW, ""));
        assertThat(t.version()).isEqualTo("test.1");
        assertThat(t.ids(Conditions.of(37), REGULAR)).isEqualTo(Eligibility.VOLUME);
        assertThat(t.ids(Conditions.of(2), REGULAR)).isEqualTo(Eligibility.ALL | Eligibility.UNKNOWN_CONDITION);
        assertThat(t.letters(Conditions.ofLetters("I"), 'A', REGULAR)).isEqualTo(Eligibility.VOLUME);
        assertThat(t.letters(Conditions.ofLetters("I"), 'O', REGULAR)).as("UTP then CTA")
                .isEqualTo(Eligibility.VOLUME);
    }

    @Test
    void aMissingFieldIsNamedWithItsRow() {
        String row = "{\"name\": \"Odd Lot Trade\", \"updates_high_low\": false, \"updates_open_close\": false}";
        assertThatThrownBy(() -> load(file("\"2\": " + ROW + ", \"37\": " + row, "", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.json").hasMessageContaining("polygon row \"37\"")
                .hasMessageContaining("updates_volume").hasMessageContaining("missing");
    }

    @Test
    void aWrongTypeIsNamedWithItsRowAndValue() {
        String row = ROW.replace("\"updates_volume\": true", "\"updates_volume\": \"yes\"");
        assertThatThrownBy(() -> load(file("", "", "\"W\": " + row)))
                .hasMessageContaining("broken.json").hasMessageContaining("utp row \"W\"")
                .hasMessageContaining("updates_volume").hasMessageContaining("\"yes\"");
    }

    @Test
    void aMisspelledFieldIsAnError() {
        String row = ROW.replace("updates_high_low", "updates_hi_low");
        assertThatThrownBy(() -> load(file("", "\"B\": " + row, "")))
                .hasMessageContaining("broken.json").hasMessageContaining("cta row \"B\"")
                .hasMessageContaining("updates_hi_low");
    }

    @Test
    void badKeysAreErrors() {
        assertThatThrownBy(() -> load(file("\"x7\": " + ROW, "", "")))
                .hasMessageContaining("broken.json").hasMessageContaining("polygon row \"x7\"");
        assertThatThrownBy(() -> load(file("\"007\": " + ROW, "", "")))
                .hasMessageContaining("polygon row \"007\"");
        assertThatThrownBy(() -> load(file("\"100000\": " + ROW, "", "")))
                .hasMessageContaining("polygon row \"100000\"");
        assertThatThrownBy(() -> load(file("", "\"AB\": " + ROW, "")))
                .hasMessageContaining("cta row \"AB\"");
    }

    @Test
    void aDuplicateRowIsAnError() {
        assertThatThrownBy(() -> load(file("\"37\": " + ROW + ", \"37\": " + ROW, "", "")))
                .hasMessageContaining("broken.json").hasMessageContaining("37").hasMessageContaining("uplicate");
    }

    @Test
    void missingVersionOrTablesAndInvalidJsonAreErrors() {
        assertThatThrownBy(() -> load(file("", "", "").replace("\"version\": \"test.1\",", "")))
                .hasMessageContaining("broken.json").hasMessageContaining("version");
        assertThatThrownBy(() -> load(file("", "", "").replace("\"utp\": {}", "\"utp\": []")))
                .hasMessageContaining("broken.json").hasMessageContaining("utp");
        assertThatThrownBy(() -> load(file("\"37\": " + ROW.replace("}", ""), "", "")))
                .hasMessageContaining("broken.json").hasMessageContaining("line");
        assertThatThrownBy(() -> load("[]")).hasMessageContaining("broken.json");
    }
}
