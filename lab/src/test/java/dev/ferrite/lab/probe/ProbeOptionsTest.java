package dev.ferrite.lab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProbeOptionsTest {

    @Test
    void defaultsProbeEveryFiveMillisecondsWithFiftyMillisecondConnectTimeout() {
        ProbeOptions o = ((ProbeOptions.Parsed.Valid) ProbeOptions.parse(new String[] {"--vip", "198.18.0.200"})).options();
        assertEquals(List.of("198.18.0.200"), o.vips());
        assertEquals(Duration.ofMillis(5), o.interval());
        assertEquals(Duration.ofMillis(50), o.connectTimeout());
        assertEquals(80, o.port());
    }

    @Test
    void optionsRoundTripThroughTheCommandLine() {
        ProbeOptions o = new ProbeOptions(List.of("198.18.0.200", "2001:db8::200"), 8080, Duration.ofMillis(7),
                Duration.ofMillis(40), Duration.ofMillis(90), 1000, Duration.ofSeconds(9));
        assertEquals(new ProbeOptions.Parsed.Valid(o), ProbeOptions.parse(o.toArgs().toArray(String[]::new)));
        ProbeOptions unbounded = ProbeOptions.of(List.of("198.18.0.200"), Long.MAX_VALUE, Duration.ofSeconds(3));
        assertEquals(new ProbeOptions.Parsed.Valid(unbounded), ProbeOptions.parse(unbounded.toArgs().toArray(String[]::new)));
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource(delimiter = '|', value = {
        "--port 80                        | --vip",
        "--vip 198.18.0.200 --port 0      | --port \"0\"",
        "--vip 198.18.0.200 --count x     | --count \"x\"",
        "--vip 198.18.0.200 --count 0     | --count \"0\"",
        "--vip 198.18.0.200 --bogus 1     | --bogus",
        "--vip 198.18.0.200 --duration-ms | --duration-ms needs a value",
        "--vip 198.18.0.200 --duration-ms 99999999 | --duration-ms \"99999999\"",
    })
    void badArgumentsAreRefusedWithAMessageNamingTheFlag(String args, String named) {
        ProbeOptions.Parsed.Invalid invalid = assertInstanceOf(ProbeOptions.Parsed.Invalid.class,
                ProbeOptions.parse(args.trim().split("\\s+")));
        assertTrue(invalid.message().contains(named), invalid.message());
    }
}
