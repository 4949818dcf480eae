package io.farl.robot.sim;

/** Developer runner, not a test: prints one demonstrator episode step by step. Arguments: task kind seed. */
public final class DemoTraceMain {

    private DemoTraceMain() {
    }

    public static void main(String[] args) {
        TaskId task = TaskId.parse(args[0]);
        DemoKind kind = DemoKind.parse(args[1]);
        long seed = Long.parseLong(args[2]);
        try (FailureBenchEnv env = FailureBenchEnv.create(task, SimConfig.defaults())) {
            double[] obs = kind == DemoKind.RECOVERY ? env.resetNearFailure(seed) : env.reset(seed);
            System.out.println(env.layout());
            Demonstrator d = Demonstrators.create(task, kind, seed, env);
            StepResult r;
            do {
                double[] a = d.act(obs);
                r = env.step(a);
                obs = r.observation();
                System.out.printf("%3d a=[%5.2f %5.2f %5.2f] hand=(%.3f %.3f %.3f) obj=(%.3f %.3f %.3f) o2=(%.3f %.3f)"
                        + " goal=(%.3f %.3f) r=%.3f safe=%b succ=%b fail=%b%n", r.step(), a[0], a[1], a[2], obs[0],
                        obs[1], obs[2], obs[4], obs[5], obs[6], obs[11], obs[12], obs[36], obs[37], r.reward(),
                        r.safe(), r.success(), r.irFailure());
            } while (!r.done());
        }
    }
}
