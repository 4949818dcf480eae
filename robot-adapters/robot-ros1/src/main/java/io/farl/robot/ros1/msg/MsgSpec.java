package io.farl.robot.ros1.msg;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The definition of one ROS 1 message type, enough to compute its md5 sum and full {@code message_definition}
 * the way genmsg does: the md5 text is the field lines ("type name"), where a field of a message type is written
 * as "md5-of-that-type name" (array brackets dropped); the full text is the definition followed by each
 * dependency after a line of 80 '=' and "MSG: package/Type".
 *
 * @param type   full type name, e.g. {@code geometry_msgs/Pose}
 * @param fields in declaration order
 */
public record MsgSpec(String type, List<MsgField> fields) {

    /** One field: a built-in type ({@code nested == null}) or a message type. */
    public record MsgField(String builtin, MsgSpec nested, boolean array, String name) {
        String declaredType() {
            String base = builtin != null ? builtin : nested.type();
            return array ? base + "[]" : base;
        }
    }

    public MsgSpec {
        fields = List.copyOf(fields);
    }

    public static MsgSpec of(String type, MsgField... fields) {
        return new MsgSpec(type, List.of(fields));
    }

    public static MsgField field(String builtin, String name) {
        boolean array = builtin.endsWith("[]");
        return new MsgField(array ? builtin.substring(0, builtin.length() - 2) : builtin, null, array, name);
    }

    public static MsgField field(MsgSpec nested, String name) {
        return new MsgField(null, nested, false, name);
    }

    public static MsgField arrayField(MsgSpec nested, String name) {
        return new MsgField(null, nested, true, name);
    }

    /** The definition as written in the .msg file (comments removed). */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (MsgField f : fields) {
            String t = f.declaredType();
            String pkg = type.substring(0, type.indexOf('/') + 1);
            if (t.startsWith("std_msgs/Header") || (f.nested() != null && t.startsWith(pkg))) {
                t = t.substring(t.indexOf('/') + 1);
            }
            b.append(t).append(' ').append(f.name()).append('\n');
        }
        return b.toString();
    }

    /** The text whose MD5 is the type's md5sum. */
    public String md5Text() {
        List<String> lines = new ArrayList<>();
        for (MsgField f : fields) {
            lines.add((f.builtin() != null ? f.declaredType() : f.nested().md5()) + " " + f.name());
        }
        return String.join("\n", lines);
    }

    public String md5() {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(md5Text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 not available", e);
        }
    }

    /** The {@code message_definition} sent in connection headers. */
    public String fullText() {
        Map<String, MsgSpec> deps = new LinkedHashMap<>();
        collect(deps);
        StringBuilder b = new StringBuilder(text());
        for (MsgSpec d : deps.values()) {
            b.append("=".repeat(80)).append('\n').append("MSG: ").append(d.type()).append('\n').append(d.text());
        }
        return b.toString();
    }

    private void collect(Map<String, MsgSpec> deps) {
        for (MsgField f : fields) {
            if (f.nested() != null && !deps.containsKey(f.nested().type())) {
                deps.put(f.nested().type(), f.nested());
                f.nested().collect(deps);
            }
        }
    }
}
