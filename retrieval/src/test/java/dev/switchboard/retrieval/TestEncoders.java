package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.EncoderInfo;
import dev.switchboard.models.Encoders;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The real int8 MiniLM encoder for this module's tests, and a probe around it. */
final class TestEncoders {

    private static Encoder shared;

    private TestEncoders() {
    }

    /**
     * One real {@link Encoders#DEFAULT_ID} encoder for every test class of the test JVM, loaded on
     * first use. Never closed by a test: the JVM's exit releases its native session.
     */
    static synchronized Encoder shared() {
        if (shared == null) {
            shared = Encoders.load(Encoders.DEFAULT_ID);
        }
        return shared;
    }

    /**
     * The shared encoder behind a probe: counts {@link #embed(List)} calls (queries included), remembers
     * the thread of the last one, can fail one chosen call, and can claim another id and dimension
     * (only what an index records about its encoder differs; the vectors are the real ones).
     */
    static final class Probe implements Encoder {
        private final EncoderInfo info;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile int failOn = -1;
        private volatile Thread lastThread;

        Probe() {
            this.info = shared().info();
        }

        private Probe(String id, int dimension) {
            EncoderInfo i = shared().info();
            this.info = new EncoderInfo(id, dimension, i.pooling(), i.maxTokens(), i.queryPrefix());
        }

        /** The real encoder under another identity. */
        static Probe renamed(String id, int dimension) {
            return new Probe(id, dimension);
        }

        /** Makes call number {@code call} (counting from 1) throw "injected encoder failure on call N". */
        Probe failOnCall(int call) {
            failOn = call;
            return this;
        }

        int calls() {
            return calls.get();
        }

        Thread lastThread() {
            return lastThread;
        }

        @Override
        public EncoderInfo info() {
            return info;
        }

        @Override
        public float[][] embed(List<String> texts) {
            lastThread = Thread.currentThread();
            int call = calls.incrementAndGet();
            if (call == failOn) {
                throw new IllegalStateException("injected encoder failure on call " + call);
            }
            return shared().embed(texts);
        }

        @Override
        public void close() {
            // the shared encoder stays open
        }
    }
}
