package io.farl.model.jvm;

import java.lang.reflect.RecordComponent;
import java.util.Properties;

/** Writes a config record's components as properties and reads them back through its canonical constructor. */
public final class ConfigProperties {
    private ConfigProperties() {
    }

    public static void put(Properties p, String prefix, Record config) {
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            try {
                p.setProperty(prefix + c.getName(), String.valueOf(c.getAccessor().invoke(config)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static <T extends Record> T get(Properties p, String prefix, Class<T> type, String file) {
        RecordComponent[] comps = type.getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            String key = prefix + comps[i].getName();
            String v = p.getProperty(key);
            if (v == null) {
                throw new ModelFormatException(file + ": missing key '" + key + "'");
            }
            Class<?> t = comps[i].getType();
            types[i] = t;
            try {
                if (t == int.class) {
                    args[i] = Integer.parseInt(v);
                } else if (t == long.class) {
                    args[i] = Long.parseLong(v);
                } else if (t == double.class) {
                    args[i] = Double.parseDouble(v);
                } else if (t == boolean.class) {
                    args[i] = Boolean.parseBoolean(v);
                } else if (t.isEnum()) {
                    args[i] = enumValue(t, v);
                } else {
                    throw new IllegalStateException("unsupported config component type " + t);
                }
            } catch (NumberFormatException e) {
                throw new ModelFormatException(file + ": bad value for '" + key + "': " + v, e);
            }
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new ModelFormatException(file + ": invalid " + type.getSimpleName() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> t, String v) {
        return Enum.valueOf((Class) t, v);
    }
}
