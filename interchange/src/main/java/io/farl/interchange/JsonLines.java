package io.farl.interchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines files of typed records (meta/episodes.jsonl, meta/tasks.jsonl): one compact object a line. */
final class JsonLines {

    private JsonLines() {
    }

    static void write(Path file, List<?> records) throws IOException {
        ObjectWriter writer = LeRobotMeta.JSON.writer();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object r : records) {
                out.write(writer.writeValueAsString(r));
                out.write('\n');
            }
        }
    }

    /**
     * Every non-blank line of {@code root/name} as a {@code type}.
     *
     * @throws InterchangeInputException when the file is missing or a line does not parse, naming file and line
     */
    static <T> List<T> read(Path root, String name, Class<T> type) throws IOException {
        List<String> text;
        try {
            text = Files.readAllLines(root.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InterchangeInputException(root.resolve(name) + " does not exist");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (text.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(LeRobotMeta.JSON.readValue(text.get(i), type));
            } catch (JsonProcessingException e) {
                throw new InterchangeInputException(name + ": line " + (i + 1) + ": " + e.getOriginalMessage(), e);
            }
        }
        return out;
    }
}
