package io.farl.launch;

import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.TaskId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Parses task and demonstrator-kind lists given on the command line ("all" or comma-separated names). */
final class Choices {
    private Choices() {
    }

    static List<TaskId> tasks(String spec) {
        if (spec.equals("all")) {
            return List.of(TaskId.values());
        }
        List<TaskId> out = new ArrayList<>();
        for (String name : spec.split(",")) {
            try {
                out.add(TaskId.parse(name.trim()));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("unknown task '" + name.trim() + "'; valid: all, " + Arrays
                        .stream(TaskId.values()).map(TaskId::cliName).collect(Collectors.joining(", ")));
            }
        }
        return out;
    }

    static List<DemoKind> kinds(String spec) {
        if (spec.equals("all")) {
            return List.of(DemoKind.values());
        }
        List<DemoKind> out = new ArrayList<>();
        for (String name : spec.split(",")) {
            try {
                out.add(DemoKind.parse(name.trim()));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("unknown kind '" + name.trim() + "'; valid: all, " + Arrays
                        .stream(DemoKind.values()).map(DemoKind::cliName).collect(Collectors.joining(", ")));
            }
        }
        return out;
    }
}
