package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.schema.MarketEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The exact examples of protocols.md §2.3, §2.4 and §2.6, and a recording handler. */
final class AlpacaFixtures {
    static final String TRADES = """
            [{"T":"t","S":"AAPL","i":52983525029461,"x":"V","p":189.43,"s":100,"c":["@"],"z":"C",
              "t":"2024-05-30T19:59:59.871624704Z"},
             {"T":"t","S":"AAPL","i":71675577320245,"x":"D","p":189.4312,"s":25,"c":["@","T","I"],"z":"C",
              "t":"2024-05-30T20:00:01.120338Z"}]""";
    static final String QUOTE = """
            [{"T":"q","S":"AMD","bx":"K","bp":166.21,"bs":3,"ax":"Q","ap":166.23,"as":1,"c":["R"],"z":"C",
              "t":"2024-05-30T14:31:02.118233088Z"}]""";
    static final String BAR = """
            [{"T":"b","S":"SPY","o":527.61,"h":527.74,"l":527.55,"c":527.7,"v":48211,"n":512,"vw":527.6532,
              "t":"2024-05-30T14:31:00Z"}]""";
    static final String UPDATED_BAR = """
            [{"T":"u","S":"SPY","o":527.61,"h":527.74,"l":527.55,"c":527.72,"v":48390,"n":515,"vw":527.6534,
              "t":"2024-05-30T14:31:00Z"}]""";
    /** §2.6 has no daily values; shape and midnight-New-York start as documented. */
    static final String DAILY_BAR = """
            [{"T":"d","S":"SPY","o":526.12,"h":528.3,"l":525.9,"c":527.7,"v":30123456,"n":401234,"vw":527.1044,
              "t":"2024-05-30T04:00:00Z"}]""";
    static final String STATUS = """
            [{"T":"s","S":"GME","sc":"2","sm":"Trading Halt","rc":"M","rm":"Limit Up-Limit Down (LULD) Trading Pause",
              "t":"2024-05-30T14:02:11.531Z","z":"A"}]""";
    static final String LULD =
            "[{\"T\":\"l\",\"S\":\"IONM\",\"u\":3.24,\"d\":2.65,\"i\":\"B\",\"t\":\"2024-05-30T13:34:45.565004401Z\",\"z\":\"C\"}]";
    static final String CORRECTION = """
            [{"T":"c","S":"EEM","x":"M","oi":52983525033527,"op":39.1582,"os":440000,"oc":[" ","7"],
              "ci":52983525034326,"cp":39.1809,"cs":440000,"cc":[" ","7"],"z":"B","t":"2023-04-06T14:25:06.542305024Z"}]""";
    static final String CANCEL =
            "[{\"T\":\"x\",\"S\":\"GOOGL\",\"i\":465,\"x\":\"D\",\"p\":105.31,\"s\":300,\"a\":\"C\",\"z\":\"C\",\"t\":\"2023-04-06T13:15:42.83540958Z\"}]";
    static final String IMBALANCE =
            "[{\"T\":\"i\",\"S\":\"INAQU\",\"p\":9.12,\"z\":\"C\",\"t\":\"2024-12-13T19:58:09.242138635Z\"}]";
    static final String CONNECTED = "[{\"T\":\"success\",\"msg\":\"connected\"}]";
    static final String AUTHENTICATED = "[{\"T\":\"success\",\"msg\":\"authenticated\"}]";
    static final String ERROR_406 = "[{\"T\":\"error\",\"code\":406,\"msg\":\"connection limit exceeded\"}]";
    static final String SUBSCRIBED = """
            [{"T":"subscription","trades":["AAPL"],"quotes":["AMD","CLDR"],"bars":["*"],"updatedBars":[],
                "dailyBars":[],"statuses":[],"lulds":[],"corrections":["AAPL"],"cancelErrors":["AAPL"]}]""";
    static final String UNSUBSCRIBED = """
            [{"T":"subscription","trades":["AAPL"],"quotes":["AMD","CLDR"],"bars":[],"updatedBars":[],
                "dailyBars":[],"statuses":[],"lulds":[],"corrections":["AAPL"],"cancelErrors":["AAPL"]}]""";

    /** Every data example of §2.6 (one per type). */
    static final List<String> DATA_EXAMPLES =
            List.of(TRADES, QUOTE, BAR, UPDATED_BAR, DAILY_BAR, STATUS, LULD, CORRECTION, CANCEL, IMBALANCE);
    /** Every control example of §2.3 and §2.4. */
    static final List<String> CONTROL_EXAMPLES =
            List.of(CONNECTED, AUTHENTICATED, ERROR_406, SUBSCRIBED, UNSUBSCRIBED);

    private AlpacaFixtures() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The example as Alpaca sends it on the wire: one line, no whitespace outside strings. */
    static String compact(String json) {
        StringBuilder sb = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) inString = !inString;
            if (inString || !Character.isWhitespace(c)) sb.append(c);
        }
        return sb.toString();
    }

    static long ns(String rfc3339) {
        Instant i = Instant.parse(rfc3339);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
