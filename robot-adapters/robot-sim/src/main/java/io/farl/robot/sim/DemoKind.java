package io.farl.robot.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which scripted demonstrator produced an episode: the label a dataset stores with it. */
public enum DemoKind {
    /** Task demonstration: reaches the goal without an IR failure. */
    EXPERT,
    /** Perturbed expert whose episodes mostly end in an IR failure. */
    FAILURE,
    /** Starts near a failure and brings the scene back to a safe state. */
    RECOVERY;

    /** Lower-case name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind with this command-line name.
     *
     * @throws IllegalArgumentException naming the valid names when none matches
     */
    public static DemoKind parse(String cliName) {
        for (DemoKind k : values()) {
            if (k.cliName().equals(cliName)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown demonstration kind '" + cliName + "', expected one of "
                + Arrays.stream(values()).map(DemoKind::cliName).collect(Collectors.joining(", ")));
    }
}
