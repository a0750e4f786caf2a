package dev.strata.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.config.NatsLogConfig;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The purge log on a real nats-server with JetStream (one per class, a stream per test): the
 * contract of every purge log, then what several purge API replicas sharing one stream rely on.
 */
class JetStreamPurgeLogIT extends PurgeLogContract {
    @RegisterExtension
    static final NatsServer nats = new NatsServer();

    /** The stream of the test. */
    @SuppressWarnings("NullAway.Init")
    private NatsLogConfig stream;

    @BeforeEach
    void newStream() {
        stream = nats.newStream();
    }

    @Override
    PurgeLog open(int retainEntries, Duration retention) {
        return JetStreamPurgeLog.open(stream, Clock.systemUTC(), retainEntries, retention);
    }

    /** Another replica on the stream of the test, or the log under test with a small tail. */
    private JetStreamPurgeLog replica(int tailEntries) {
        JetStreamPurgeLog log =
                JetStreamPurgeLog.open(stream, Clock.systemUTC(), 100_000, Duration.ofDays(1), tailEntries);
        track(log);
        return log;
    }

    @Override
    Duration shortRetention() {
        return Duration.ofSeconds(4);
    }

    @Override
    void ageOut(PurgeLog log) {
        // The servers drop entries by age on their own clock: wait until every one has gone.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> log.oldestSeq() > log.lastSeq());
    }

    @Test
    void twoReplicasAppendingAtOnceGetOneGaplessOrderAndSeeEachOthersEntries() throws Exception {
        JetStreamPurgeLog a = replica(JetStreamPurgeLog.TAIL_ENTRIES);
        JetStreamPurgeLog b = replica(JetStreamPurgeLog.TAIL_ENTRIES);
        AtomicInteger wokenA = new AtomicInteger();
        AtomicInteger wokenB = new AtomicInteger();
        a.onAppend(wokenA::incrementAndGet);
        b.onAppend(wokenB::incrementAndGet);
        int each = 60;
        List<PurgeEntry> appended = Collections.synchronizedList(new ArrayList<>());

        AtOnce.run(4, thread -> {
            JetStreamPurgeLog replica = thread % 2 == 0 ? a : b;
            for (int i = 0; i < each; i++) {
                appended.add(replica.append(tag("t" + i), "ops", "").entry());
            }
        });

        long total = 4L * each;
        List<Long> all = LongStream.rangeClosed(1, total).boxed().toList();
        assertThat(appended).extracting(PurgeEntry::seq).containsExactlyInAnyOrderElementsOf(all);
        for (JetStreamPurgeLog replica : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> replica.lastSeq() == total);
            assertThat(replica.after(0, 1000)).containsExactlyInAnyOrderElementsOf(appended);
            assertThat(replica.after(0, 1000)).extracting(PurgeEntry::seq).containsExactlyElementsOf(all);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(wokenA).as("A's listeners, for B's entries too").hasValue((int) total);
            assertThat(wokenB).as("B's listeners, for A's entries too").hasValue((int) total);
        });
    }

    @Test
    void anIdempotencyKeyIsRecognisedByEveryReplicaAndWinsOnceInARace() throws Exception {
        JetStreamPurgeLog a = replica(JetStreamPurgeLog.TAIL_ENTRIES);
        JetStreamPurgeLog b = replica(JetStreamPurgeLog.TAIL_ENTRIES);
        PurgeEntry first = a.append(tag("a"), "ops", "ops:k-1").entry();

        PurgeLog.Appended onB = b.append(tag("a"), "ops", "ops:k-1");

        assertThat(onB.repeated()).isTrue();
        assertThat(onB.entry()).isEqualTo(first);
        assertThat(b.byId(first.id())).hasValue(first);

        List<PurgeLog.Appended> raced = Collections.synchronizedList(new ArrayList<>());
        AtOnce.run(8, thread -> raced.add((thread % 2 == 0 ? a : b).append(tag("race"), "ops", "ops:race")));

        assertThat(raced).filteredOn(appended -> !appended.repeated()).hasSize(1);
        assertThat(raced)
                .extracting(PurgeLog.Appended::entry)
                .containsOnly(raced.get(0).entry());
        assertThat(raced.get(0).entry().seq()).isEqualTo(2);
        assertThat(a.lastSeq()).isEqualTo(2);
    }

    @Test
    void entriesOlderThanTheTailAreReadFromTheStream() {
        JetStreamPurgeLog writer = replica(JetStreamPurgeLog.TAIL_ENTRIES);
        List<PurgeEntry> written = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            written.add(writer.append(tag("t" + i), "ops", i % 3 == 0 ? "ops:k" + i : "")
                    .entry());
        }

        JetStreamPurgeLog reader = replica(4);

        assertThat(reader.lastSeq()).isEqualTo(12);
        assertThat(reader.after(0, 5)).containsExactlyElementsOf(written.subList(0, 5));
        assertThat(reader.after(0, 100)).containsExactlyElementsOf(written);
        assertThat(reader.after(9, 100)).containsExactlyElementsOf(written.subList(9, 12));
        assertThat(reader.byId(written.get(0).id())).hasValue(written.get(0));
        assertThat(reader.byId(written.get(11).id())).hasValue(written.get(11));
        assertThat(reader.append(tag("t3"), "ops", "ops:k3").entry()).isEqualTo(written.get(3));
    }

    @Test
    void entriesSurviveARestartOfNatsAndAppendsFailClearlyWhileItIsDown() {
        JetStreamPurgeLog a = replica(JetStreamPurgeLog.TAIL_ENTRIES);
        JetStreamPurgeLog b = replica(JetStreamPurgeLog.TAIL_ENTRIES);
        AtomicInteger wokenB = new AtomicInteger();
        b.onAppend(wokenB::incrementAndGet);
        List<PurgeEntry> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(a.append(tag("t" + i), "ops", "").entry());
        }

        nats.stop();
        assertThatThrownBy(() -> a.append(tag("while down"), "ops", "ops:down"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(nats.url().toString())
                .hasMessageContaining(stream.stream());
        nats.restart();

        PurgeEntry after = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreException(UncheckedIOException.class)
                .until(() -> a.append(tag("after"), "ops", "ops:down").entry(), entry -> true);
        assertThat(after.seq()).as("nothing of the failed append was stored").isEqualTo(4);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(wokenB).as("B follows the stream again").hasValue(4);
            assertThat(b.after(0, 10)).extracting(PurgeEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        });
        JetStreamPurgeLog reopened = replica(JetStreamPurgeLog.TAIL_ENTRIES);
        List<PurgeEntry> all = new ArrayList<>(before);
        all.add(after);
        assertThat(reopened.after(0, 10)).containsExactlyElementsOf(all);
    }

    @Test
    void startingWithoutAReachableServerFailsNamingIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("nats://127.0.0.1:" + closedPort);
        NatsLogConfig unreachable = new NatsLogConfig(
                List.of(nowhere), "NOWHERE", 1, List.of(), Duration.ofSeconds(2), Duration.ofSeconds(2));

        assertThatThrownBy(() -> JetStreamPurgeLog.open(unreachable, Clock.systemUTC(), 10, Duration.ofDays(1)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("no NATS server of [" + nowhere + "] could be reached")
                .hasMessageContaining("purge-api.log.nats.servers");
    }

    @Test
    void moreReplicasThanServersAreRefusedNamingTheStream() {
        NatsLogConfig three = new NatsLogConfig(
                stream.servers(), stream.stream(), 3, List.of(), Duration.ofSeconds(5), Duration.ofSeconds(5));

        assertThatThrownBy(() -> JetStreamPurgeLog.open(three, Clock.systemUTC(), 10, Duration.ofDays(1)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("stream " + stream.stream())
                .hasMessageContaining("cannot be set up");
    }
}
