package io.farl.model.djl;

import io.farl.model.jvm.ModelFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Random;

/** A random generator's exact state in learner checkpoints, so a resumed learner draws what it would have drawn. */
final class RandomState {
    private RandomState() {
    }

    static byte[] serialise(Random r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(r);
        }
        return bytes.toByteArray();
    }

    /** @param file named in the error when the bytes are not a generator */
    static Random deserialise(byte[] b, Path file) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return (Random) in.readObject();
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ModelFormatException(file + ": bad sampling state", e);
        }
    }
}
