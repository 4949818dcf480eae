package io.farl.robot.sim;

/**
 * Developer runner, not a test: prints the demonstrator table over many seeds.
 * Arguments: [episodes] [firstSeed] [task-cli-name ...].
 */
public final class DemoTableMain {

    private DemoTableMain() {
    }

    public static void main(String[] args) {
        int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        long first = args.length > 1 ? Long.parseLong(args[1]) : 0;
        java.util.List<TaskId> tasks = new java.util.ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            tasks.add(TaskId.parse(args[i]));
        }
        if (tasks.isEmpty()) {
            tasks.addAll(java.util.List.of(TaskId.values()));
        }
        System.out.printf("%-18s %-9s %5s %7s %7s %7s %7s %7s %9s%n", "task", "kind", "eps", "succ", "irfail", "safe",
                "tmout", "steps", "steps/s");
        for (TaskId t : tasks) {
            for (DemoKind k : DemoKind.values()) {
                DemoStats s = DemoEvaluation.evaluate(t, k, first, episodes, SimConfig.defaults());
                System.out.printf("%-18s %-9s %5d %7.2f %7.2f %7.2f %7.2f %7.1f %9.0f%n", t.cliName(), k.cliName(),
                        s.episodes(), s.successRate(), s.irFailureRate(), s.safeReachedRate(), s.timeoutRate(),
                        s.meanSteps(), s.controlStepsPerSecond());
            }
        }
    }
}
