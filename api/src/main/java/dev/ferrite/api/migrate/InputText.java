package dev.ferrite.api.migrate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The import's input bytes as text, decoded as kubectl's YAML reader decodes them: UTF-8, or
 * UTF-16 when a byte order mark says so (what PowerShell's {@code >} writes), a UTF-8 byte
 * order mark dropped. Bytes that are not valid in that encoding are an error with their offset
 * and line rather than being replaced by U+FFFD, which would change a name or an address
 * silently. Pure.
 */
final class InputText {

    private InputText() {
    }

    sealed interface Decoded {
        record Text(String text) implements Decoded {
        }

        record Undecodable(String problem) implements Decoded {
        }
    }

    static Decoded decode(byte[] bytes) {
        if (startsWith(bytes, 0x00, 0x00, 0xFE, 0xFF) || startsWith(bytes, 0xFF, 0xFE, 0x00, 0x00)) {
            return new Decoded.Undecodable("the input is UTF-32 (by its byte order mark), which kubectl does not read; "
                    + "convert it to UTF-8");
        }
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return decode(bytes, 3, StandardCharsets.UTF_8);
        }
        if (startsWith(bytes, 0xFF, 0xFE)) {
            return decode(bytes, 2, StandardCharsets.UTF_16LE);
        }
        if (startsWith(bytes, 0xFE, 0xFF)) {
            return decode(bytes, 2, StandardCharsets.UTF_16BE);
        }
        return decode(bytes, 0, StandardCharsets.UTF_8);
    }

    private static Decoded decode(byte[] bytes, int start, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16L,
                (long) Math.ceil((bytes.length - start) * (double) decoder.maxCharsPerByte()) + 1));
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            return new Decoded.Undecodable("byte " + String.format(Locale.ROOT, "0x%02X", bytes[offset] & 0xFF) + " at offset "
                    + offset + " (line " + line(bytes, start, offset) + ") is not valid " + charset.name()
                    + "; is this a text file? kubectl reads YAML as UTF-8 (or UTF-16 with a byte order mark)");
        }
        out.flip();
        return new Decoded.Text(out.toString());
    }

    /** The 1-based line of byte {@code offset}, counting the line feeds before it (for UTF-16 too). */
    private static int line(byte[] bytes, int start, int offset) {
        int line = 1;
        for (int i = start; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
