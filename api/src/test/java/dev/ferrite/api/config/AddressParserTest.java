package dev.ferrite.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressParserTest {

    @ParameterizedTest(name = "\"{0}\" is {1} ({2} addresses)")
    @CsvSource(delimiter = '|', value = {
            // CIDRs
            "198.18.0.0/24           | 198.18.0.0-198.18.0.255                    | 256",
            "198.18.0.0/15           | 198.18.0.0-198.19.255.255                  | 131072",
            "198.18.0.10/32          | 198.18.0.10-198.18.0.10                    | 1",
            "0.0.0.0/0               | 0.0.0.0-255.255.255.255                    | 4294967296",
            "2001:db8::/120          | 2001:db8::-2001:db8::ff                    | 256",
            "2001:db8::/64           | 2001:db8::-2001:db8::ffff:ffff:ffff:ffff   | 18446744073709551616",
            "2001:db8::10/128        | 2001:db8::10-2001:db8::10                  | 1",
            "2001:DB8:0:0::/126      | 2001:db8::-2001:db8::3                     | 4",
            "2001:0db8:0000::0/125   | 2001:db8::-2001:db8::7                     | 8",
            "::/0                    | ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 340282366920938463463374607431768211456",
            // host bits set: masked to the network, as net.ParseCIDR does
            "198.18.0.77/24          | 198.18.0.0-198.18.0.255                    | 256",
            "198.18.0.77/30          | 198.18.0.76-198.18.0.79                    | 4",
            "2001:db8::abcd/120      | 2001:db8::ab00-2001:db8::abff              | 256",
            "2001:db8:1:2:3:4:5:6/64 | 2001:db8:1:2::-2001:db8:1:2:ffff:ffff:ffff:ffff | 18446744073709551616",
            // ranges
            "198.18.0.10-198.18.0.20 | 198.18.0.10-198.18.0.20                    | 11",
            "198.18.0.10 - 198.18.0.20 | 198.18.0.10-198.18.0.20                  | 11",
            "198.18.0.10 -198.18.0.20 | 198.18.0.10-198.18.0.20                   | 11",
            "198.18.0.10-198.18.0.10 | 198.18.0.10-198.18.0.10                    | 1",
            "198.18.0.255-198.18.1.0 | 198.18.0.255-198.18.1.0                    | 2",
            "2001:db8::10-2001:db8::1f | 2001:db8::10-2001:db8::1f                | 16",
            "2001:db8::1 - 2001:db8::1 | 2001:db8::1-2001:db8::1                  | 1",
            "2001:db8::-2001:db8::1:0  | 2001:db8::-2001:db8::1:0                 | 65537",
            "::ffff:198.18.0.1-::ffff:198.18.0.2 | 198.18.0.1-198.18.0.2 | 2",
            "::ffff:10.0.0.0/104       | 10.0.0.0-10.255.255.255 | 16777216",
            "' 198.18.0.0/30 '         | 198.18.0.0-198.18.0.3   | 4",
            // surrounding whitespace is ignored
            "'  198.18.0.0/24  '     | 198.18.0.0-198.18.0.255                    | 256",
    })
    void acceptsEveryWrittenForm(String text, String range, String size) {
        ParsedRange parsed = AddressParser.parse(text);
        ParsedRange.Ok ok = assertInstanceOf(ParsedRange.Ok.class, parsed, () -> text + ": " + parsed);
        assertEquals(range, ok.range().toString());
        assertEquals(new BigInteger(size), ok.range().size());
    }

    @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
    @CsvSource(delimiter = '|', value = {
            "198.18.0.1              | single address without a prefix length; write 198.18.0.1/32",
            "2001:db8::1             | single address without a prefix length; write 2001:db8::1/128",
            "198.18.0.20-198.18.0.10 | range is reversed: start 198.18.0.20 is after end 198.18.0.10; write 198.18.0.10-198.18.0.20",
            "2001:db8::2-2001:db8::1 | range is reversed: start 2001:db8::2 is after end 2001:db8::1",
            "198.18.0.1-2001:db8::1  | range mixes IPv4 and IPv6",
            "2001:db8::1-198.18.0.1  | range mixes IPv6 and IPv4",
            "198.18.0.0/33           | prefix length \"33\" is not a number from 0 to 32 as IPv4 needs",
            "2001:db8::/129          | prefix length \"129\" is not a number from 0 to 128 as IPv6 needs",
            "198.18.0.0/-1           | prefix length \"-1\" is not a number from 0 to 32",
            "198.18.0.0/             | prefix length \"\" is not a number",
            "198.18.0.0/24/24        | prefix length \"24/24\" is not a number",
            "198.18.0.0/2a           | prefix length \"2a\" is not a number",
            "198.18.0.0/1000         | prefix length \"1000\" is not a number",
            "198.18.0.0/24-198.18.1.0/24 | mixes a range and a CIDR",
            "198.18.0.1-198.18.0.2-198.18.0.3 | is not an IP address, CIDR or range (a range has one '-'); write a CIDR",
            "198.18.0.1-             | range end \"\" is not an IP address",
            "-198.18.0.1             | range start \"\" is not an IP address",
            "198.18.0.x-198.18.0.9   | range start \"198.18.0.x\" is not an IP address",
            "localhost/32            | \"localhost\" is not an IP address",
            "localhost               | is not an IP address, CIDR or range",
            "ferrite.dev-example.com | range start \"ferrite.dev\" is not an IP address",
            "198.18.0.256/24         | \"198.18.0.256\" is not an IP address",
            "198.18.0/24             | \"198.18.0\" is not an IP address",
            "garbage                 | is not an IP address, CIDR or range; write a CIDR",
            "''                      | is empty",
            "'   '                   | is empty",
    })
    void rejectsWithAProblemAnOperatorCanAct(String text, String problem) {
        ParsedRange parsed = AddressParser.parse(text);
        ParsedRange.Rejected rejected = assertInstanceOf(ParsedRange.Rejected.class, parsed, () -> text + ": " + parsed);
        assertTrue(rejected.problem().contains(problem), () -> "\"" + rejected.problem() + "\" should contain \"" + problem + "\"");
    }

    @Test
    void rejectsNull() {
        assertInstanceOf(ParsedRange.Rejected.class, AddressParser.parse(null));
    }
}
