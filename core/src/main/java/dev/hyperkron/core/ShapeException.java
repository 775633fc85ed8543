package dev.hyperkron.core;

/** Thrown when tensor shapes do not fit an operation; the message names the op and the shapes. */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }

    /** "op: message (shapes [..], [..])" in one place so every shape error reads alike. */
    public static ShapeException of(String op, String problem, Shape... shapes) {
        StringBuilder sb = new StringBuilder(op).append(": ").append(problem);
        if (shapes.length > 0) {
            sb.append(" (shapes");
            for (int i = 0; i < shapes.length; i++) {
                sb.append(i == 0 ? " " : ", ").append(shapes[i]);
            }
            sb.append(')');
        }
        return new ShapeException(sb.toString());
    }
}
