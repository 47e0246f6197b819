package io.ravel.robustness.history;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A history as JSON lines, one operation a line, so a failed run can be checked again offline. */
public final class HistoryFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryFile() {
    }

    public static void write(History history, Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Op op : history.ops()) {
                    out.write(JSON.writeValueAsString(op));
                    out.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static History read(Path file) {
        try {
            List<Op> ops = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    ops.add(JSON.readValue(line, Op.class));
                }
            }
            return History.of(ops);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
