package io.certform.cert;

import java.util.ArrayList;
import java.util.List;

/**
 * PEM as tools really write it, reduced to its blocks: a UTF-8 byte-order mark, CRLF line endings and text
 * around the blocks ({@code openssl x509 -text} writes a description before the certificate) are dropped, so
 * that what is parsed and what is sent to the API is the {@code -----BEGIN ...-----} blocks and nothing else.
 */
public final class PemText {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";

    /** One block: its type ({@code CERTIFICATE}, {@code EC PRIVATE KEY}, ...) and its text, LF line endings. */
    record Block(String type, String text) {
        boolean privateKey() {
            return type.endsWith("PRIVATE KEY");
        }
    }

    private PemText() {
    }

    /** The blocks of {@code text}, in order, each ending with a newline; the text around them is dropped. */
    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        if (text == null) {
            return blocks;
        }
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        StringBuilder current = null;
        String type = null;
        for (String raw : body.split("\r\n|\r|\n")) {
            String line = raw.strip();
            if (current == null) {
                if (line.startsWith(BEGIN) && line.endsWith("-----") && line.length() > BEGIN.length() + 5) {
                    type = line.substring(BEGIN.length(), line.length() - 5);
                    current = new StringBuilder(line).append('\n');
                }
                continue;
            }
            current.append(line).append('\n');
            if (line.startsWith(END)) {
                blocks.add(new Block(type, current.toString()));
                current = null;
            }
        }
        if (current != null) {
            blocks.add(new Block(type, current.toString())); // unterminated: the parser reports it
        }
        return blocks;
    }

    /** The PEM blocks of {@code text} alone, as the API takes them; empty when there is none. */
    public static String clean(String text) {
        StringBuilder out = new StringBuilder();
        for (Block block : blocks(text)) {
            out.append(block.text());
        }
        return out.toString();
    }
}
