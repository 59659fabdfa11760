package com.systemtrader.storage;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlScriptTest {
    @Test
    void splitsOnSemicolonsOutsideQuotesCommentsAndDollarQuotes() {
        String sql = """
                -- a comment; with a semicolon
                CREATE TABLE t (a text DEFAULT 'x;y');
                DO $$ BEGIN PERFORM 1; END $$;
                CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
                /* block; comment */ SELECT "we;ird" FROM t;
                -- trailing comment only
                """;
        assertThat(SqlScript.split(sql)).containsExactly(
                "CREATE TABLE t (a text DEFAULT 'x;y')",
                "DO $$ BEGIN PERFORM 1; END $$",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$",
                "/* block; comment */ SELECT \"we;ird\" FROM t");
    }

    @Test
    void placeholdersMustBeKnown() {
        assertThat(SqlScript.fill("INTERVAL '${a}' ${a}", Map.of("a", "1 day"), "x")).isEqualTo("INTERVAL '1 day' 1 day");
        assertThatThrownBy(() -> SqlScript.fill("${nope}", Map.of(), "R__x.sql"))
                .hasMessage("R__x.sql: unknown placeholder ${nope}");
    }
}
