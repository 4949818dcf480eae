package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.DiscriminatorConfig;
import io.farl.model.jvm.JvmDiscriminator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GAIL's discriminator separates the policy's pairs from the expert's; GAILFE's constraint raises D on failed pairs
 * that look like the expert's, through λ_F.
 */
@ExtendWith(NdLeakCheck.class)
class DiscriminatorTrainerTest {
    private static final int N = 3;
    private static final int M = 2;

    /** Pairs around {@code centre} (observation) with action {@code action} plus noise. */
    private static DiscriminatorTrainer.Pairs pairs(int count, double centre, double action, long seed) {
        Random rnd = new Random(seed);
        float[] o = new float[count * N];
        float[] a = new float[count * M];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < N; k++) {
                o[i * N + k] = (float) (centre + 0.3 * rnd.nextGaussian());
            }
            for (int k = 0; k < M; k++) {
                a[i * M + k] = (float) Math.max(-1, Math.min(1, action + 0.2 * rnd.nextGaussian()));
            }
        }
        return new DiscriminatorTrainer.Pairs(o, a, count);
    }

    private static DiscriminatorConfig config(boolean failures) {
        return new DiscriminatorConfig(N, M, 32, 2, 3e-3, 4, 128, failures, 100, Math.log(0.5), 1.0, 0.5, 10.0, 5);
    }

    private static double meanD(JvmDiscriminator d, DiscriminatorTrainer.Pairs p) {
        double sum = 0;
        float[] o = new float[N];
        float[] a = new float[M];
        for (int i = 0; i < p.count(); i++) {
            System.arraycopy(p.observations(), i * N, o, 0, N);
            System.arraycopy(p.actions(), i * M, a, 0, M);
            sum += 1 / (1 + Math.exp(-d.logit(o, a)));
        }
        return sum / p.count();
    }

    @Test
    void shouldTellThePolicyFromTheExpertAndRewardExpertLikePairsMore() {
        DiscriminatorTrainer.Pairs expert = pairs(2000, 1.0, 0.5, 1);
        DiscriminatorTrainer.Pairs policy = pairs(512, -1.0, -0.5, 2);
        float[][] norm = DiscriminatorTrainer.normalisation(expert.observations(), N);
        try (DiscriminatorTrainer t = new DiscriminatorTrainer(config(false), norm[0], norm[1])) {
            DiscriminatorTrainer.Step s = null;
            for (int i = 0; i < 10; i++) {
                s = t.update(policy, expert, DiscriminatorTrainer.Pairs.empty());
            }
            assertEquals(0, t.lambda(), "GAIL has no multiplier");
            assertTrue(s.policyD() > 0.9 && s.expertD() < 0.1, s.toString());
            JvmDiscriminator d = new JvmDiscriminator(config(false), t.weights());
            // the plain-JVM copy computes what training saw
            assertTrue(meanD(d, policy) > 0.9 && meanD(d, expert) < 0.1);
            float[] eo = {1f, 1f, 1f};
            float[] ea = {0.5f, 0.5f};
            float[] po = {-1f, -1f, -1f};
            float[] pa = {-0.5f, -0.5f};
            assertTrue(d.reward(eo, ea) > 2 && d.reward(po, pa) < 0.1,
                    d.reward(eo, ea) + " vs " + d.reward(po, pa));
        }
    }

    @Test
    void shouldRaiseDOnFailedPairsThatLookLikeTheExpertsThroughTheMultiplier() {
        DiscriminatorTrainer.Pairs expert = pairs(2000, 1.0, 0.5, 1);
        DiscriminatorTrainer.Pairs policy = pairs(512, -1.0, -0.5, 2);
        // failed pairs close to the expert's: plain GAIL calls them expert, GAILFE must not
        DiscriminatorTrainer.Pairs failed = pairs(600, 0.6, 0.9, 3);
        float[][] norm = DiscriminatorTrainer.normalisation(expert.observations(), N);
        double gailOnFailures;
        double gailfeOnFailures;
        try (DiscriminatorTrainer gail = new DiscriminatorTrainer(config(false), norm[0], norm[1])) {
            for (int i = 0; i < 10; i++) {
                gail.update(policy, expert, failed);
            }
            gailOnFailures = meanD(new JvmDiscriminator(config(false), gail.weights()), failed);
        }
        try (DiscriminatorTrainer gailfe = new DiscriminatorTrainer(config(true), norm[0], norm[1])) {
            DiscriminatorTrainer.Step s = null;
            for (int i = 0; i < 10; i++) {
                s = gailfe.update(policy, expert, failed);
            }
            gailfeOnFailures = meanD(new JvmDiscriminator(config(true), gailfe.weights()), failed);
            assertTrue(s.lambda() >= 0, s.toString());
            // the constraint E_F[log D] > log(1/2) is (nearly) met at the end
            assertTrue(s.failureLogD() > Math.log(0.5) - 0.2, s.toString());
            assertTrue(s.expertD() < 0.3, "the expert stays expert: " + s);
        }
        assertTrue(gailOnFailures < 0.3, "plain GAIL calls expert-like failures expert: " + gailOnFailures);
        assertTrue(gailfeOnFailures > gailOnFailures + 0.2, gailfeOnFailures + " vs " + gailOnFailures);
    }

    @Test
    void shouldRefuseAGailfeStepWithoutFailedPairs() {
        DiscriminatorTrainer.Pairs expert = pairs(100, 1.0, 0.5, 1);
        float[][] norm = DiscriminatorTrainer.normalisation(expert.observations(), N);
        try (DiscriminatorTrainer t = new DiscriminatorTrainer(config(true), norm[0], norm[1])) {
            assertThrows(IllegalArgumentException.class,
                    () -> t.update(pairs(64, -1, -0.5, 2), expert, DiscriminatorTrainer.Pairs.empty()));
        }
    }
}
