package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that fails a test which leaves NDArrays alive: it records the native arrays reachable
 * from the engine's system manager before each test and fails if any new one is still open afterwards.
 * Arrays created in {@code @BeforeAll} (shared models) are part of the baseline.
 */
public final class NdLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NdLeakCheck.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("baseline", Baseline.take());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Baseline before = context.getStore(NS).remove("baseline", Baseline.class);
        if (before != null) {
            before.assertNoNewArrays(context.getDisplayName());
        }
    }

    /** Identity set of the open arrays at one moment. */
    public static final class Baseline {
        private final Set<String> uids;

        private Baseline(Set<String> uids) {
            this.uids = uids;
        }

        public static Baseline take() {
            return new Baseline(live().stream().map(NDArray::getUid).collect(Collectors.toCollection(HashSet::new)));
        }

        /** @throws AssertionError listing the arrays opened since the baseline and still open */
        public void assertNoNewArrays(String where) {
            List<NDArray> leaked = live().stream().filter(a -> !uids.contains(a.getUid())).toList();
            if (!leaked.isEmpty()) {
                String sample = leaked.stream().limit(10)
                        .map(a -> (a.getName() == null ? "?" : a.getName()) + a.getShape())
                        .collect(Collectors.joining(", "));
                throw new AssertionError(where + " leaked " + leaked.size() + " NDArray(s): " + sample);
            }
        }
    }

    static List<NDArray> live() {
        try (NDManager probe = NDManager.newBaseManager()) {
            NDManager system = probe.getParentManager();
            return system.getManagedArrays().stream().filter(a -> !a.isReleased()).toList();
        }
    }
}
