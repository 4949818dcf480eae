package io.farl.robot.mqtt;

/**
 * Result of decoding one payload: a value, or a clear error saying what was wrong. Decoders never throw.
 *
 * @param value the decoded value, null when {@code error} is set
 * @param error why the payload was refused, null when {@code value} is set
 */
public record Decoded<T>(T value, String error) {
    public Decoded {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of value and error must be set");
        }
    }

    public static <T> Decoded<T> of(T value) {
        return new Decoded<>(value, null);
    }

    public static <T> Decoded<T> error(String error) {
        return new Decoded<>(null, error);
    }

    public boolean ok() {
        return error == null;
    }
}
