package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * Appends JSON lines to files of one folder from a single background thread, so that request threads
 * only enqueue. A line is given as a supplier that runs on that thread (anonymisation and serialisation
 * happen off the request path). Each batch of queued lines is written per file, flushed and the file
 * closed again, so daily file names need no rotation logic. {@link #close} writes every line accepted
 * before it: nothing accepted is lost on an orderly shutdown. A line that cannot be written is logged
 * and dropped (a full disk must not stop the runtime answering).
 */
final class JsonlAppender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JsonlAppender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Beyond this many queued lines, callers wait: back-pressure instead of unbounded memory or loss. */
    static final int CAPACITY = 100_000;

    private record Entry(String file, Supplier<Map<String, Object>> line, CountDownLatch done) {
    }

    private static final Entry STOP = new Entry(null, null, null);

    private final Path dir;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Thread writer;
    private volatile boolean closed;

    JsonlAppender(Path dir, String name) {
        this.dir = dir;
        this.writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues one line for {@code <dir>/<file>}; ignored after {@link #close}. */
    void append(String file, Supplier<Map<String, Object>> line) {
        if (closed) {
            LOG.warnf("log %s is closed; a line was not written", dir.resolve(file));
            return;
        }
        put(new Entry(file, line, null));
    }

    /** Returns once every line queued before the call is written. */
    void flush() {
        CountDownLatch done = new CountDownLatch(1);
        put(new Entry(null, null, done));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void put(Entry e) {
        try {
            queue.put(e);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Entry> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() ends the loop
            }
            queue.drainTo(batch);
            boolean stop = write(batch);
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    /** Writes a batch; returns true if it held the stop marker. */
    private boolean write(List<Entry> batch) {
        Map<String, StringBuilder> byFile = new LinkedHashMap<>();
        List<CountDownLatch> latches = new ArrayList<>();
        boolean stop = false;
        for (Entry e : batch) {
            if (e == STOP) {
                stop = true;
            } else if (e.done() != null) {
                latches.add(e.done());
            } else {
                try {
                    byFile.computeIfAbsent(e.file(), f -> new StringBuilder())
                            .append(JSON.writeValueAsString(e.line().get())).append('\n');
                } catch (IOException | RuntimeException ex) {
                    LOG.warnf(ex, "a line for %s could not be serialised and was dropped", e.file());
                }
            }
        }
        for (var f : byFile.entrySet()) {
            Path file = dir.resolve(f.getKey());
            try {
                Files.createDirectories(dir);
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
                    w.write(f.getValue().toString());
                }
            } catch (IOException ex) {
                LOG.errorf("cannot append to %s: %s", file, ex.getMessage());
            }
        }
        latches.forEach(CountDownLatch::countDown);
        return stop;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        put(STOP);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
