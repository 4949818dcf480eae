package io.farl.controller.session;

import java.util.Locale;
import java.util.Objects;

/**
 * Something an operator (or the session itself) did during a supervised fine-tuning session, as one line of
 * {@code session-events.jsonl}: {@code {"unixMillis":…,"kind":"PAUSE","episode":12,"detail":"…"}}.
 *
 * @param unixMillis wall-clock time
 * @param kind       what happened
 * @param episode    the episode running (0-based within the session's dataset), or -1
 * @param detail     free text (a label's note, a refusal's reason), may be empty
 */
public record SessionEvent(long unixMillis, Kind kind, long episode, String detail) {

    /**
     * What happened: the session's start and end; a pause (an operator stop), an e-stop, another latch of the
     * supervisor (STOP, its cause in the detail) and the resume from any of them; the operator taking the arm and
     * handing it back; a new policy version acting (POLICY, the version in the detail); an operator's label or
     * failure mark.
     */
    public enum Kind {
        START, PAUSE, ESTOP, STOP, RESUME, TAKE_OVER, HAND_BACK, POLICY, LABEL_SUCCESS, LABEL_FAILURE, LABEL_RECOVERY,
        MARK_FAILURE, END
    }

    public SessionEvent {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    /** The JSON line (no trailing newline). */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"unixMillis\":%d,\"kind\":\"%s\",\"episode\":%d,\"detail\":%s}",
                unixMillis, kind.name(), episode, quote(detail));
    }

    /** Parses a line written by {@link #toJson}; throws IllegalArgumentException naming what is wrong. */
    public static SessionEvent parse(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\\{\"unixMillis\":(-?\\d+),\"kind\":\"([A-Z_]+)\",\"episode\":(-?\\d+),\"detail\":\"(.*)\"}")
                .matcher(line.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a session event line: " + line);
        }
        return new SessionEvent(Long.parseLong(m.group(1)), Kind.valueOf(m.group(2)), Long.parseLong(m.group(3)),
                unquote(m.group(4)));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String unquote(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
