package dev.switchboard.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * In-memory sessions: a session unused for {@code ttl} is forgotten, and at most {@code maxSessions}
 * are kept (creating one more evicts the least recently used). Lookups are lock-free; creation and
 * eviction are serialised. Eviction scans all sessions (O(n)) but only runs when the store is full.
 */
final class SessionStore {

    /** How often {@link #create} also sweeps expired sessions, so that idle ones do not pile up. */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxSessions;
    private final Clock clock;
    private final Supplier<String> ids;
    private Instant lastSweep;

    /**
     * @param ids mints session ids; they must be unguessable, hence the default is
     *            {@link UUID#randomUUID()} (a SecureRandom: ids are credentials, not a computation
     *            that must be reproducible from a seed)
     */
    SessionStore(Duration ttl, int maxSessions, Clock clock, Supplier<String> ids) {
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be > 0, got " + ttl);
        }
        if (maxSessions <= 0) {
            throw new IllegalArgumentException("maxSessions must be > 0, got " + maxSessions);
        }
        this.maxSessions = maxSessions;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.lastSweep = clock.instant();
    }

    SessionStore(Duration ttl, int maxSessions) {
        this(ttl, maxSessions, Clock.systemUTC(), () -> UUID.randomUUID().toString());
    }

    /** Starts a new session for {@code route}. */
    synchronized Session create(String route) {
        Instant now = clock.instant();
        if (Duration.between(lastSweep, now).compareTo(SWEEP_EVERY) >= 0 || sessions.size() >= maxSessions) {
            purgeExpired(now);
            lastSweep = now;
        }
        while (sessions.size() >= maxSessions) {
            sessions.values().stream()
                    .min(Comparator.comparingLong(Session::lastAccessMillis))
                    .ifPresent(lru -> sessions.remove(lru.id(), lru));
        }
        String id = ids.get();
        if (sessions.containsKey(id)) {
            throw new IllegalStateException("session id generator repeated id " + id);
        }
        Session session = new Session(id, route, now);
        sessions.put(id, session);
        return session;
    }

    /** The live session with this id (touching it), or empty if unknown or expired. */
    Optional<Session> find(String id) {
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        s.touch(now);
        return Optional.of(s);
    }

    /** Live and expired-but-not-yet-swept sessions. */
    int size() {
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return now.toEpochMilli() - s.lastAccessMillis() >= ttl.toMillis();
    }

    private void purgeExpired(Instant now) {
        sessions.values().removeIf(s -> expired(s, now));
    }
}
