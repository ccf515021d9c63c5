package dev.ferrite.api.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputTextTest {

    private static String text(byte[] bytes) {
        return assertInstanceOf(InputText.Decoded.Text.class, InputText.decode(bytes)).text();
    }

    private static String problem(byte[] bytes) {
        return assertInstanceOf(InputText.Decoded.Undecodable.class, InputText.decode(bytes)).problem();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void utf8IsReadAsItIs() {
        assertEquals("name: café\n", text("name: café\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aUtf8ByteOrderMarkIsDropped() {
        assertEquals("a: 1\n", text(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "a: 1\n".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void utf16WithAByteOrderMarkIsReadAsPowerShellWritesIt() {
        assertEquals("a: 1\r\n", text(concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "a: 1\r\n".getBytes(StandardCharsets.UTF_16LE))));
        assertEquals("a: 1\n", text(concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "a: 1\n".getBytes(StandardCharsets.UTF_16BE))));
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorWithTheirOffsetAndLineNotAReplacementCharacter() {
        String p = problem(concat("a: 1\nname: caf".getBytes(StandardCharsets.ISO_8859_1), new byte[] {(byte) 0xE9, '\n'}));
        assertTrue(p.startsWith("byte 0xE9 at offset 14 (line 2) is not valid UTF-8"), p);
    }

    @Test
    void binaryGarbageIsAnError() {
        byte[] garbage = new byte[4096];
        new java.util.Random(14).nextBytes(garbage);
        garbage[0] = (byte) 0x80;
        assertTrue(problem(garbage).contains("is this a text file?"), problem(garbage));
    }

    @Test
    void utf32IsRefusedByName() {
        assertTrue(problem(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, 'a'}).contains("UTF-32"));
    }
}
