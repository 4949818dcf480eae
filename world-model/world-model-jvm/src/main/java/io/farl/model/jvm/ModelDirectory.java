package io.farl.model.jvm;

import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Versioned on-disk models: {@code <root>/v000001/}, {@code v000002/}, ... each holding
 * {@code weights.bin} (every tensor, including observation normalisation), {@code config.properties},
 * {@code metrics.properties} and {@code manifest.properties} (kind, version, SHA-256 of each file and a content
 * hash over all three). A version is written to a temporary sibling directory and renamed atomically, so a
 * reader sees either nothing or a complete model. Reading verifies every hash and refuses a mismatch naming
 * the file.
 */
public final class ModelDirectory {
    public static final String WEIGHTS = "weights.bin";
    public static final String CONFIG = "config.properties";
    public static final String METRICS = "metrics.properties";
    public static final String MANIFEST = "manifest.properties";
    /** Kind of a world-model directory. */
    public static final String WORLD_MODEL_KIND = "farl.world-model";
    /** Kind of a policy directory (task or recovery policy). */
    public static final String POLICY_KIND = "farl.policy";
    /** Kind of a learned state-reward directory (TW-CRL). */
    public static final String REWARD_MODEL_KIND = "farl.reward-model";
    private static final int MAGIC = 0x46524C57; // "FRLW"
    private static final int FORMAT_VERSION = 1;

    private ModelDirectory() {
    }

    /** A model read back from disk. */
    public record Loaded(Path directory, long version, String kind, ParameterSet weights, Properties config,
            Map<String, Double> metrics, String contentHash) {
    }

    /**
     * Writes a new version under {@code root}.
     *
     * @return the directory of the new version
     */
    public static Path write(Path root, String kind, ParameterSet weights, Properties config,
            Map<String, Double> metrics) {
        try {
            Files.createDirectories(root);
            Path tmp = root.resolve(".tmp-" + UUID.randomUUID());
            Files.createDirectory(tmp);
            try {
                writeWeights(tmp.resolve(WEIGHTS), weights);
                Properties cfg = new Properties();
                cfg.putAll(config);
                storeSorted(tmp.resolve(CONFIG), cfg);
                Properties met = new Properties();
                metrics.forEach((k, v) -> met.setProperty(k, Double.toString(v)));
                storeSorted(tmp.resolve(METRICS), met);
                for (int attempt = 0; attempt < 100; attempt++) {
                    long version = latestVersion(root).orElse(0L) + 1;
                    Properties manifest = new Properties();
                    manifest.setProperty("kind", kind);
                    manifest.setProperty("version", Long.toString(version));
                    manifest.setProperty("format", Integer.toString(FORMAT_VERSION));
                    StringBuilder all = new StringBuilder();
                    for (String f : new String[] {WEIGHTS, CONFIG, METRICS}) {
                        String h = sha256(tmp.resolve(f));
                        manifest.setProperty("sha256." + f, h);
                        all.append(h);
                    }
                    manifest.setProperty("contentHash", sha256(all.toString().getBytes(StandardCharsets.UTF_8)));
                    storeSorted(tmp.resolve(MANIFEST), manifest);
                    Path target = root.resolve(versionName(version));
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                        return target;
                    } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                        // another writer took this version number: try the next one
                    } catch (AtomicMoveNotSupportedException e) {
                        throw new IOException("file system of " + root + " cannot rename atomically", e);
                    }
                }
                throw new IOException("could not claim a version number under " + root);
            } finally {
                deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing model under " + root, e);
        }
    }

    /** The newest complete version under {@code root}. */
    public static Optional<Path> latest(Path root) {
        return latestVersion(root).map(v -> root.resolve(versionName(v)));
    }

    /** The version directory numbered one below {@code versionDir} next to it, when it exists. */
    public static Optional<Path> previous(Path versionDir) {
        String name = versionDir.getFileName().toString();
        if (!name.matches("v\\d{6,}")) {
            throw new IllegalArgumentException(versionDir + " is not a model version directory");
        }
        long v = Long.parseLong(name.substring(1));
        Path prev = versionDir.resolveSibling(versionName(v - 1));
        return v > 1 && Files.isDirectory(prev) ? Optional.of(prev) : Optional.empty();
    }

    /**
     * Reads and verifies one version directory.
     *
     * @param expectedKind the kind written by {@link #write}; a different kind is refused
     */
    public static Loaded read(Path dir, String expectedKind) {
        try {
            Properties manifest = load(dir.resolve(MANIFEST));
            String kind = manifest.getProperty("kind");
            if (!expectedKind.equals(kind)) {
                throw new ModelFormatException(dir.resolve(MANIFEST) + ": kind is '" + kind + "', expected '"
                        + expectedKind + "'");
            }
            StringBuilder all = new StringBuilder();
            for (String f : new String[] {WEIGHTS, CONFIG, METRICS}) {
                String expected = manifest.getProperty("sha256." + f);
                String actual = sha256(dir.resolve(f));
                if (!actual.equals(expected)) {
                    throw new ModelFormatException(dir.resolve(f) + ": content hash " + actual
                            + " does not match the manifest's " + expected);
                }
                all.append(actual);
            }
            String content = sha256(all.toString().getBytes(StandardCharsets.UTF_8));
            if (!content.equals(manifest.getProperty("contentHash"))) {
                throw new ModelFormatException(dir.resolve(MANIFEST) + ": content hash mismatch");
            }
            ParameterSet weights = readWeights(dir.resolve(WEIGHTS));
            Properties metricsProps = load(dir.resolve(METRICS));
            Map<String, Double> metrics = new TreeMap<>();
            metricsProps.forEach((k, v) -> metrics.put((String) k, Double.parseDouble((String) v)));
            return new Loaded(dir, Long.parseLong(manifest.getProperty("version")), kind, weights,
                    load(dir.resolve(CONFIG)), metrics, content);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model directory " + dir + ": " + e, e);
        }
    }

    /** Checks that {@code weights} holds exactly {@code expected} (names and shapes), naming the file if not. */
    public static void checkShapes(Path file, ParameterSet weights, ParameterSet expected) {
        java.util.Map<String, int[]> shapes = new java.util.LinkedHashMap<>();
        for (String name : expected.names()) {
            shapes.put(name, expected.get(name).shape());
        }
        ModelFiles.check(file, weights, shapes);
    }

    static String versionName(long v) {
        return String.format("v%06d", v);
    }

    private static Optional<Long> latestVersion(Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("v\\d{6,}"))
                    .map(n -> Long.parseLong(n.substring(1)))
                    .max(Long::compare);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes named tensors to one file (the weights format of a model version). */
    public static void writeWeights(Path file, ParameterSet weights) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(weights.names().size());
            for (Map.Entry<String, NamedArray> e : weights.asMap().entrySet()) {
                out.writeUTF(e.getKey());
                int[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (int d : shape) {
                    out.writeInt(d);
                }
                for (float f : e.getValue().data()) {
                    out.writeFloat(f);
                }
            }
        }
    }

    /** Reads a file written by {@link #writeWeights}. */
    public static ParameterSet readWeights(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT_VERSION) {
                throw new ModelFormatException(file + ": not a weights file of format " + FORMAT_VERSION);
            }
            int n = in.readInt();
            Map<String, NamedArray> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                int[] shape = new int[rank];
                int size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readInt();
                    size *= shape[d];
                }
                float[] data = new float[size];
                for (int j = 0; j < size; j++) {
                    data[j] = in.readFloat();
                }
                m.put(name, new NamedArray(shape, data));
            }
            return new ParameterSet(m);
        }
    }

    private static void storeSorted(Path file, Properties p) throws IOException {
        // sorted, comment-free output so identical content hashes identically
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(p).forEach((k, v) -> sb.append(escape((String) k)).append('=').append(escape((String) v))
                .append('\n'));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(sb.toString());
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("=", "\\=").replace(":", "\\:").replace("\n", "\\n");
    }

    private static Properties load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": missing");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** The world model's configuration from a directory's config properties ({@code file} names them in errors). */
    public static io.farl.model.api.WorldModelConfig worldModelConfig(Properties p, String file) {
        return ConfigProperties.get(p, "worldModel.", io.farl.model.api.WorldModelConfig.class, file);
    }

    /** A policy's network configuration from a directory's config properties. */
    public static io.farl.model.api.PolicyNetworkConfig policyConfig(Properties p, String file) {
        return ConfigProperties.get(p, "policy.", io.farl.model.api.PolicyNetworkConfig.class, file);
    }
}
