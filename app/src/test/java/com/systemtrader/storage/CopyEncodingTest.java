package com.systemtrader.storage;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** PgBinaryCopy's allocation-free text paths give the same bytes as plain UTF-8 encoding. */
class CopyEncodingTest {
    @Test
    void textFieldsMatchTheirUtf8Encoding() throws IOException {
        PgBinaryCopy copy = new PgBinaryCopy();
        copy.row(6);
        copy.text("AAPL");
        copy.text("Äpfel€");                 // not ASCII: falls back to getBytes
        copy.text("trade".getBytes(StandardCharsets.US_ASCII));
        copy.textChar('C');
        int mark = copy.beginText();
        copy.appendDecimal(4);
        copy.appendChar(':');
        copy.appendDecimal(-202);
        copy.appendChar(':');
        copy.appendText("52983525029461");
        copy.appendText("→x");               // not ASCII inside a composed field
        copy.endText(mark);
        mark = copy.beginText();
        copy.appendDecimal(Long.MIN_VALUE);
        copy.appendDecimal(0);
        copy.appendDecimal(Long.MAX_VALUE);
        copy.endText(mark);
        int[] length = new int[1];
        byte[] bytes = Arrays.copyOf(copy.finish(length), length[0]);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(0);
        out.writeShort(6);
        for (String s : new String[] {"AAPL", "Äpfel€", "trade", "C", "4:-202:52983525029461→x",
                Long.MIN_VALUE + "0" + Long.MAX_VALUE}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
        out.writeShort(-1);
        assertThat(bytes).isEqualTo(expected.toByteArray());
    }
}
