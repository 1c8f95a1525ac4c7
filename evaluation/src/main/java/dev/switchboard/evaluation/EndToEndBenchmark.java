package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench e2e}: sends real HTTP requests to a running agent runtime and reports the latency
 * seen by the client (request sent → whole response read), over {@code --requests} messages taken
 * cyclically from {@code --data}. Start the runtime first ({@code ./switchboard up}).
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "End-to-end request latency (p50/p99) against a running runtime.")
final class EndToEndBenchmark implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", description = "Base URL of the runtime (default: ${DEFAULT-VALUE}).", defaultValue = "http://localhost:8080")
    String url;

    @Option(names = "--route", description = "Route to call (default: ${DEFAULT-VALUE}).", defaultValue = "support")
    String route;

    @Option(names = "--data", description = "JSONL file with a \"text\" field (default: ${DEFAULT-VALUE}).",
            defaultValue = "../shared/datasets/banking77/test.jsonl")
    Path data;

    @Option(names = "--requests", description = "Timed requests (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int requests;

    @Option(names = "--warmup", description = "Untimed requests first (default: ${DEFAULT-VALUE}).", defaultValue = "50")
    int warmup;

    @Option(names = "--concurrency", description = "Clients sending at once (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int concurrency;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || concurrency < 1) {
            throw new IllegalArgumentException("--requests and --concurrency must be >= 1");
        }
        List<String> messages = BenchmarkTexts.read(data, requests + warmup);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI endpoint = URI.create(url.replaceAll("/+$", "") + "/v1/agents/" + route + "/messages");
        for (int i = 0; i < warmup; i++) {
            send(http, endpoint, messages.get(requests + i));
        }
        long[] nanos = new long[requests];
        Map<String, AtomicInteger> outcomes = new TreeMap<>();
        AtomicInteger next = new AtomicInteger();
        long wall = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long t = System.nanoTime();
                        String outcome = send(http, endpoint, messages.get(i));
                        nanos[i] = System.nanoTime() - t;
                        synchronized (outcomes) {
                            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
        double seconds = (System.nanoTime() - wall) / 1e9;
        LatencyStats stats = LatencyStats.ofNanos(nanos);
        System.out.printf("POST %s, %d requests, concurrency %d, %d cores%n", endpoint, requests, concurrency,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%10s %10s %10s %10s %10s %12s%n", "p50 ms", "p95 ms", "p99 ms", "mean ms", "max ms", "requests/s");
        System.out.printf("%10.2f %10.2f %10.2f %10.2f %10.2f %12.1f%n", stats.p50Ms(), stats.p95Ms(), stats.p99Ms(),
                stats.meanMs(), stats.maxMs(), requests / seconds);
        System.out.println("outcomes: " + outcomes);
        return 0;
    }

    /** Sends one message; returns "answered", "escalated" or "http <status>". */
    private static String send(HttpClient http, URI endpoint, String message) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("message", message));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("no runtime answers at " + endpoint + "; start it with ./switchboard up", e);
        }
        if (response.statusCode() != 200) {
            return "http " + response.statusCode();
        }
        JsonNode status = JSON.readTree(response.body()).get("status");
        return status == null ? "no status" : status.asText();
    }
}
