package dev.switchboard.runtime;

import dev.switchboard.models.ChatTurn;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStoreTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger counter = new AtomicInteger();

    private SessionStore store(Duration ttl, int max) {
        return new SessionStore(ttl, max, clock, () -> "s" + counter.incrementAndGet());
    }

    @Test
    void createsAndFindsSessions() {
        SessionStore store = store(Duration.ofMinutes(30), 10);
        Session a = store.create("support");
        Session b = store.create("support");

        assertNotEquals(a.id(), b.id());
        assertSame(a, store.find(a.id()).orElseThrow());
        assertEquals("support", a.route());
        assertEquals(Optional.empty(), store.find("unknown"));
    }

    @Test
    void defaultIdsAreRandomUuids() {
        SessionStore store = new SessionStore(Duration.ofMinutes(30), 10);
        String id = store.create("support").id();
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
    }

    @Test
    void forgetsSessionsIdleForTheTtlButNotActiveOnes() {
        SessionStore store = store(Duration.ofMinutes(30), 10);
        Session idle = store.create("support");
        Session active = store.create("support");

        clock.advance(Duration.ofMinutes(20));
        assertTrue(store.find(active.id()).isPresent(), "a lookup counts as activity");
        clock.advance(Duration.ofMinutes(15));

        assertEquals(Optional.empty(), store.find(idle.id()), "35 idle minutes > 30");
        assertTrue(store.find(active.id()).isPresent(), "15 idle minutes < 30");
        clock.advance(Duration.ofMinutes(30));
        assertEquals(Optional.empty(), store.find(active.id()), "exactly the ttl idle is expired");
    }

    @Test
    void evictsTheLeastRecentlyUsedSessionWhenFull() {
        SessionStore store = store(Duration.ofHours(1), 3);
        Session s1 = store.create("r");
        clock.advance(Duration.ofSeconds(1));
        Session s2 = store.create("r");
        clock.advance(Duration.ofSeconds(1));
        Session s3 = store.create("r");
        clock.advance(Duration.ofSeconds(1));
        store.find(s1.id()); // s1 is now more recent than s2

        Session s4 = store.create("r");

        assertEquals(3, store.size());
        assertEquals(Optional.empty(), store.find(s2.id()), "s2 was the least recently used");
        assertTrue(store.find(s1.id()).isPresent());
        assertTrue(store.find(s3.id()).isPresent());
        assertTrue(store.find(s4.id()).isPresent());
    }

    @Test
    void expiredSessionsAreSweptBeforeAnyLiveOneIsEvicted() {
        SessionStore store = store(Duration.ofMinutes(10), 2);
        Session old = store.create("r");
        clock.advance(Duration.ofMinutes(5));
        Session live = store.create("r");
        clock.advance(Duration.ofMinutes(6)); // old idle 11 min (expired), live idle 6 min

        store.create("r");

        assertEquals(2, store.size());
        assertTrue(store.find(live.id()).isPresent());
        assertEquals(Optional.empty(), store.find(old.id()));
    }

    @Test
    void storesTurnsInPairsAndGivesHistory() {
        Session s = store(Duration.ofMinutes(30), 10).create("support");
        Instant t = clock.instant();
        assertEquals(Optional.empty(), s.lastUserMessage());

        s.append(SessionTurn.user("I lost my card", t), SessionTurn.assistant("Freeze it [1]", t, "answered", "lost_or_stolen_card"));
        s.append(SessionTurn.user("and the fee?", t), SessionTurn.assistant("Passing you on", t, "escalated", null));

        assertEquals(4, s.turns().size());
        assertEquals(Optional.of("and the fee?"), s.lastUserMessage());
        assertEquals(List.of(new ChatTurn("user", "and the fee?"), new ChatTurn("assistant", "Passing you on")), s.history(2));
        assertEquals(4, s.history(10).size());
        assertEquals("lost_or_stolen_card", s.turns().get(1).intent());
    }

    @Test
    void validatesItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> store(Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> store(Duration.ofMinutes(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new SessionTurn("system", "x", Instant.EPOCH, null, null));
        SessionStore repeating = new SessionStore(Duration.ofMinutes(1), 5, clock, () -> "same");
        repeating.create("r");
        assertThrows(IllegalStateException.class, () -> repeating.create("r"));
    }
}
