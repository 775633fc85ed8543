package dev.hyperkron.core.io;

/**
 * Thrown for text that is not strict JSON (RFC 8259). The message and the accessors name
 * where parsing stopped, so a user can find the fault in a file by line and column.
 */
public final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final int line;
    private final int column;

    JsonException(String problem, int offset, int line, int column) {
        super(problem + " at line " + line + ", column " + column + " (offset " + offset + ")");
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    /** Index of the offending character in the parsed text (in UTF-16 chars, from 0). */
    public int offset() {
        return offset;
    }

    /** Line of the offending character, from 1; lines end at '\n'. */
    public int line() {
        return line;
    }

    /** Column of the offending character within its line, from 1 (in UTF-16 chars). */
    public int column() {
        return column;
    }
}
