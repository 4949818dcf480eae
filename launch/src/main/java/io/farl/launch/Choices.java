package io.farl.launch;

import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.TaskId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses task and demonstrator-kind lists given on the command line ("all" or comma-separated names). */
final class Choices {
    private Choices() {
    }

    static List<TaskId> tasks(String spec) {
        return list(spec, TaskId.values(), TaskId::parse);
    }

    static List<DemoKind> kinds(String spec) {
        return list(spec, DemoKind.values(), DemoKind::parse);
    }

    /** One constant of {@code type} by its lower-case name; an unknown name is bad input listing the valid ones. */
    static <E extends Enum<E>> E one(String option, String name, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(name.trim())) {
                return e;
            }
        }
        throw new BadInputException(option + " '" + name + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /** "all", or comma-separated names; an unknown name is bad input whose message lists the valid ones. */
    static <T> List<T> list(String spec, T[] all, Function<String, T> parse) {
        if (spec.trim().equals("all")) {
            return List.of(all);
        }
        List<T> out = new ArrayList<>();
        for (String name : spec.split(",")) {
            try {
                T value = parse.apply(name.trim());
                if (!out.contains(value)) {
                    out.add(value);
                }
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage() + ", or all");
            }
        }
        return out;
    }
}
