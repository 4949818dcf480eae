package io.farl.robot.ros1.tcpros;

import io.farl.robot.ros1.msg.MessageReader;
import io.farl.robot.ros1.msg.MessageWriter;
import io.farl.robot.ros1.msg.RosDecodeException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TCPROS connection header: a list of {@code key=value} fields, each prefixed by its uint32 length, the whole
 * prefixed by its total length. Fields used: callerid, topic, md5sum, type, message_definition, tcp_nodelay,
 * latching, error.
 */
public record ConnectionHeader(Map<String, String> fields) {

    public ConnectionHeader {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String get(String key) {
        return fields.get(key);
    }

    /** The field or a clear error naming it. */
    public String require(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new RosDecodeException("connection header lacks '" + key + "' (has " + fields.keySet() + ")");
        }
        return v;
    }

    /** The header body (without the total length prefix). */
    public byte[] encodeBody() {
        MessageWriter w = new MessageWriter(256);
        fields.forEach((k, v) -> w.string(k + "=" + v));
        return w.toByteArray();
    }

    /** Decodes a header body (without the total length prefix). */
    public static ConnectionHeader decodeBody(byte[] body) {
        MessageReader r = new MessageReader(body);
        Map<String, String> out = new LinkedHashMap<>();
        while (r.remaining() > 0) {
            String field = new String(r.lengthPrefixedBytes("header field"), StandardCharsets.UTF_8);
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new RosDecodeException("connection header field without key=value: '" + abbreviate(field)
                        + "'");
            }
            out.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return new ConnectionHeader(out);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
