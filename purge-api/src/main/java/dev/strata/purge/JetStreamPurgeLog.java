package dev.strata.purge;

import dev.strata.config.NatsLogConfig;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumeOptions;
import io.nats.client.ErrorListener;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.StreamContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purge log on a NATS JetStream stream, shared by several purge API replicas
 * (docs/adr/0008-purge-log-on-jetstream.md).
 *
 * <p><b>Entries.</b> Each entry is one message on subject {@code strata.purge.STREAM.ID} of the
 * stream {@code STREAM} (file storage, {@code replicas} copies, limits retention by count and age,
 * deletes and purges denied); its body is the entry's JSON without a sequence number. <b>The
 * stream's sequence number is the entry's</b>: JetStream gives each stored message the next one,
 * from 1, in one total order over every replica's appends, and only the oldest messages ever go
 * (by count or age), so the numbers have no gaps without any coordination between replicas.
 *
 * <p><b>Idempotency keys.</b> An entry made with a key gets the id derived from the key (a UUID
 * made of its SHA-256), so its subject names the key, and it is published with {@code
 * Nats-Expected-Last-Subject-Sequence: 0}: the stream stores it only while no message is on that
 * subject. Of two replicas appending the same key at once one succeeds; the other is refused with
 * "wrong last sequence" and answers the stored entry ({@code repeated}). The key lives as long as
 * its entry, as in {@link RocksPurgeLog}; a key used again after its entry was dropped makes a new
 * entry, with the same id.
 *
 * <p><b>Reading.</b> Each instance follows the stream with an ordered consumer and keeps the
 * newest {@value #TAIL_ENTRIES} entries in memory, in order and without holes: {@link
 * #after} answers followers from there, and every delivery, whichever replica appended it, runs the
 * {@link #onAppend} listeners, so long-polls on every replica wake. An append returns once its own
 * entry has been delivered back, so this replica's {@link #lastSeq} and {@link #after} include it.
 * Older entries are fetched from the stream; {@link #oldestSeq} and {@link #byId} of an entry
 * outside the tail ask the stream.
 *
 * <p>Thread-safe. Every method but {@link #lastSeq}, {@link #available} and {@link #onAppend} may
 * wait for NATS up to
 * the configured request timeout and throws {@link UncheckedIOException}, naming the stream and the
 * servers, when NATS cannot answer; the client reconnects by itself meanwhile.
 */
public final class JetStreamPurgeLog implements PurgeLog {
    private static final Logger log = LoggerFactory.getLogger(JetStreamPurgeLog.class);
    /** How many of the newest entries each replica keeps in memory for its followers. */
    static final int TAIL_ENTRIES = 1024;

    /** JetStream's "wrong last sequence": a message is already on the subject. */
    private static final int WRONG_LAST_SEQUENCE = 10071;

    private static final int NO_MESSAGE_FOUND = 10037;
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int STREAM_NAME_IN_USE = 10058;
    /**
     * How long each pull of the following consumer lasts. The server sends a heartbeat every half of
     * it; the client recreates the consumer after three missed ones, so a replica follows the stream
     * again within a few seconds of NATS coming back (a restarted server has forgotten the consumer).
     */
    private static final Duration PULL_EXPIRES = Duration.ofSeconds(2);
    /** How often the client pings the server; two unanswered pings count as a lost connection. */
    private static final Duration PING_INTERVAL = Duration.ofSeconds(5);
    /** The most the stream's duplicate window may be: the log does not rely on it. */
    private static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
    /** Ids are subject tokens: what {@link UUID#toString()} gives, and nothing a subject treats specially. */
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");

    private final NatsLogConfig config;
    private final Clock clock;
    private final int retainEntries;
    private final int tailEntries;
    private final Connection connection;
    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final String subjects;
    private final String subjectPrefix;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private final Object tailLock = new Object();
    /** The newest entries by sequence number, as delivered; guarded by {@link #tailLock}. */
    private final NavigableMap<Long, PurgeEntry> tail = new TreeMap<>();
    /** Ids of the entries in {@link #tail}; guarded by {@link #tailLock}. */
    private final Map<String, Long> tailIds = new HashMap<>();
    /** The tail holds every entry from this sequence number on that the stream still keeps; guarded. */
    private long tailFrom;
    /** The last sequence number delivered to this replica; written under {@link #tailLock}. */
    private volatile long delivered;
    /** The stream's last sequence number when this replica opened it. */
    private volatile long openedAt;

    private volatile @Nullable MessageConsumer consumer;
    private volatile boolean closed;

    private JetStreamPurgeLog(
            NatsLogConfig config, Clock clock, int retainEntries, int tailEntries, Connection connection)
            throws IOException {
        this.config = config;
        this.clock = clock;
        this.retainEntries = retainEntries;
        this.tailEntries = tailEntries;
        this.connection = connection;
        JetStreamOptions options = JetStreamOptions.builder()
                .requestTimeout(config.requestTimeout())
                .build();
        this.jetStream = connection.jetStream(options);
        this.management = connection.jetStreamManagement(options);
        this.subjectPrefix = "strata.purge." + config.stream() + ".";
        this.subjects = subjectPrefix + "*";
    }

    /**
     * Connects to NATS, creates the stream or brings its limits in line with {@code retainEntries}
     * and {@code retention}, and reads the newest entries; blocking, up to the connect timeout.
     *
     * @param clock stamps entries with the time they were accepted (the stream's own retention
     *     goes by the NATS servers' clocks)
     * @throws UncheckedIOException when no server answers, naming the servers, or when the stream
     *     cannot be set up or read, naming it
     */
    public static JetStreamPurgeLog open(NatsLogConfig config, Clock clock, int retainEntries, Duration retention) {
        return open(config, clock, retainEntries, retention, TAIL_ENTRIES);
    }

    /** {@link #open(NatsLogConfig, Clock, int, Duration)} keeping {@code tailEntries} in memory. */
    static JetStreamPurgeLog open(
            NatsLogConfig config, Clock clock, int retainEntries, Duration retention, int tailEntries) {
        ConnectionLog connectionLog = new ConnectionLog(config.stream());
        Options.Builder options = new Options.Builder()
                .servers(config.servers().stream().map(URI::toString).toArray(String[]::new))
                .connectionName("strata-purge-api")
                .connectionTimeout(config.connectTimeout())
                .maxReconnects(-1) // keep trying: appends answer 503 meanwhile
                .reconnectBufferSize(0) // fail an append at once while disconnected, never replay it later
                .pingInterval(PING_INTERVAL) // notice a silent server (a partition) in seconds, not minutes
                .connectionListener(connectionLog)
                .errorListener(connectionLog);
        for (Path file : config.credentials()) {
            if (!Files.isReadable(file)) {
                throw new UncheckedIOException(
                        "purge log: the NATS credentials file " + file
                                + " cannot be read (purge-api.log.nats.credentials)",
                        new NoSuchFileException(file.toString()));
            }
            options.authHandler(Nats.credentials(file.toString()));
        }
        Connection connection;
        try {
            connection = Nats.connect(options.build());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "purge log: no NATS server of " + config.servers() + " could be reached within "
                            + config.connectTimeout().toMillis() + " ms (purge-api.log.nats.servers): "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(
                    "purge log: interrupted while connecting to " + config.servers(), new InterruptedIOException());
        }
        JetStreamPurgeLog purgeLog = null;
        try {
            purgeLog = new JetStreamPurgeLog(config, clock, retainEntries, tailEntries, connection);
            purgeLog.setUpStream(retainEntries, retention);
            purgeLog.follow();
            return purgeLog;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            if (purgeLog != null) {
                purgeLog.close();
            } else {
                closeQuietly(connection);
            }
            if (e instanceof UncheckedIOException unchecked) {
                throw unchecked;
            }
            throw new UncheckedIOException(
                    "purge log: NATS JetStream stream " + config.stream() + " at " + config.servers()
                            + " cannot be set up: " + e.getMessage() + hint(e),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static String hint(Exception e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("503") || message.toLowerCase(Locale.ROOT).contains("no responders")
                ? " (is JetStream enabled on the servers? nats-server -js)"
                : "";
    }

    /** Creates the stream, or updates its limits when they differ from the configuration. */
    private void setUpStream(int retainEntries, Duration retention) throws IOException, JetStreamApiException {
        StreamConfiguration wanted = StreamConfiguration.builder()
                .name(config.stream())
                .description("Strata purge log (docs/purge.md)")
                .subjects(subjects)
                .storageType(StorageType.File)
                .replicas(config.replicas())
                .retentionPolicy(RetentionPolicy.Limits)
                .discardPolicy(DiscardPolicy.Old)
                .maxMessages(retainEntries)
                .maxAge(retention)
                .duplicateWindow(retention.compareTo(DUPLICATE_WINDOW) < 0 ? retention : DUPLICATE_WINDOW)
                .denyDelete(true) // a message deleted in the middle would be a gap in the log
                .denyPurge(true)
                .build();
        StreamConfiguration existing;
        try {
            existing = management.getStreamInfo(config.stream()).getConfiguration();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            try {
                management.addStream(wanted);
                log.info(
                        "purge log: created NATS JetStream stream {} ({} replicas)",
                        config.stream(),
                        config.replicas());
                return;
            } catch (JetStreamApiException raced) {
                if (raced.getApiErrorCode() != STREAM_NAME_IN_USE) {
                    throw raced;
                }
                existing = management.getStreamInfo(config.stream()).getConfiguration(); // another replica made it
            }
        }
        if (existing.getStorageType() != StorageType.File) {
            throw new UncheckedIOException(new IOException("purge log: NATS JetStream stream " + config.stream()
                    + " keeps its messages in " + existing.getStorageType()
                    + " (expected: file storage; name another stream in purge-api.log.nats.stream)"));
        }
        if (!existing.getSubjects().equals(wanted.getSubjects())
                || existing.getReplicas() != wanted.getReplicas()
                || existing.getMaxMsgs() != wanted.getMaxMsgs()
                || !Objects.equals(existing.getMaxAge(), wanted.getMaxAge())
                || !Objects.equals(existing.getDuplicateWindow(), wanted.getDuplicateWindow())
                || !existing.getDenyDelete()
                || !existing.getDenyPurge()) {
            management.updateStream(wanted);
            log.info(
                    "purge log: updated NATS JetStream stream {}: {} replicas, at most {} entries for {}",
                    config.stream(),
                    config.replicas(),
                    retainEntries,
                    retention);
        }
    }

    /**
     * Starts the ordered consumer that fills the tail and runs the listeners, and waits until it has
     * delivered the stream's last entry.
     */
    private void follow() throws IOException, JetStreamApiException {
        StreamState state = management.getStreamInfo(config.stream()).getStreamState();
        long last = state.getLastSequence();
        long start = Math.max(oldest(state), last - tailEntries + 1);
        synchronized (tailLock) {
            tailFrom = start;
            delivered = start - 1;
        }
        openedAt = last;
        StreamContext stream = connection.getStreamContext(config.stream());
        consumer = stream.createOrderedConsumer(new OrderedConsumerConfiguration()
                        .filterSubject(subjects)
                        .deliverPolicy(DeliverPolicy.ByStartSequence)
                        .startSequence(start))
                .consume(
                        ConsumeOptions.builder()
                                .expiresIn(PULL_EXPIRES.toMillis())
                                .build(),
                        this::deliver);
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        while (!awaitDelivered(last, Duration.ofMillis(100))) {
            if (oldestSeq() > last) {
                break; // the entries not delivered yet aged out meanwhile
            }
            if (System.nanoTime() - deadline > 0) {
                throw new UncheckedIOException(new IOException("purge log: NATS JetStream stream " + config.stream()
                        + " at " + config.servers() + ": its entries up to " + last + " could not be read within "
                        + config.connectTimeout().toMillis() + " ms (delivered up to " + delivered + ")"));
            }
        }
        log.info(
                "purge log: NATS JetStream stream {} at {}: entries {} to {}",
                config.stream(),
                connection.getConnectedUrl(),
                oldest(state),
                last);
    }

    /** The ordered consumer's handler: the next message of the stream, in order, on NATS's thread. */
    private void deliver(Message message) {
        long seq = message.metaData().streamSequence();
        PurgeEntry entry = null;
        try {
            entry = PurgeJson.fromJson(PurgeJson.parse(message.getData()), seq);
        } catch (IllegalArgumentException e) {
            log.warn("purge log {}: entry {} is unreadable, skipped: {}", config.stream(), seq, e.getMessage());
        }
        synchronized (tailLock) {
            if (seq <= delivered) {
                return; // delivered again after the consumer was recreated
            }
            if (entry != null) {
                tail.put(seq, entry);
                tailIds.put(entry.id(), seq);
            }
            while (tail.size() > tailEntries) {
                tailFrom = drop().getKey() + 1;
            }
            while (!tail.isEmpty() && tail.firstKey() <= seq - retainEntries) {
                drop(); // the stream dropped it when it stored this one (max_msgs)
            }
            delivered = seq;
            tailLock.notifyAll();
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("purge log {}: a listener failed: {}", config.stream(), e.toString());
            }
        }
    }

    /** Removes the oldest entry of the tail; under {@link #tailLock}. */
    private Map.Entry<Long, PurgeEntry> drop() {
        Map.Entry<Long, PurgeEntry> dropped = tail.pollFirstEntry();
        tailIds.remove(dropped.getValue().id(), dropped.getKey());
        return dropped;
    }

    /** Waits until the entry {@code seq} has been delivered to this replica; false when the wait ended first. */
    private boolean awaitDelivered(long seq, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (tailLock) {
            while (delivered < seq && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(tailLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return delivered >= seq;
        }
    }

    @Override
    public Appended append(PurgeRequest request, String by, String idempotencyKey) {
        checkOpen();
        String id = idempotencyKey.isEmpty() ? UUID.randomUUID().toString() : keyId(idempotencyKey);
        String subject = subjectPrefix + id;
        long time = clock.millis();
        byte[] body = PurgeJson.bytes(PurgeJson.unsequenced(id, time, by, idempotencyKey, request));
        if (body.length > connection.getMaxPayload()) {
            throw unavailable(
                    "append",
                    new IOException("the entry has " + body.length + " bytes, more than the NATS servers' max_payload ("
                            + connection.getMaxPayload() + " bytes)"));
        }
        PublishOptions.Builder options = PublishOptions.builder().expectedStream(config.stream());
        if (!idempotencyKey.isEmpty()) {
            options.expectedLastSubjectSequence(0); // only while no entry has this key
        }
        for (int attempt = 1; ; attempt++) {
            try {
                PublishAck ack = jetStream.publish(subject, body, options.build());
                PurgeEntry entry = new PurgeEntry(ack.getSeqno(), id, time, by, idempotencyKey, request);
                if (!awaitDelivered(entry.seq(), config.requestTimeout())) {
                    log.warn(
                            "purge log {}: entry {} is stored but not read back yet; this replica's followers get it"
                                    + " once it is",
                            config.stream(),
                            entry.seq());
                }
                return new Appended(entry, false);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE || idempotencyKey.isEmpty()) {
                    throw unavailable("append", e);
                }
                Optional<PurgeEntry> earlier = lastOn(subject);
                if (earlier.isPresent()) {
                    if (!earlier.get().idempotencyKey().equals(idempotencyKey)) {
                        throw new IllegalStateException("purge log " + config.stream() + ": entry " + id
                                + " has another idempotency key than " + idempotencyKey);
                    }
                    return new Appended(earlier.get(), true);
                }
                if (attempt == 3) { // the entry went between the refusal and the read, each time
                    throw unavailable("append", e);
                }
            } catch (IOException | IllegalStateException e) {
                throw unavailable("append", e);
            }
        }
    }

    /** The id of the entry made with {@code idempotencyKey}: a UUID (version 8) of the key's SHA-256. */
    static String keyId(String idempotencyKey) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8: custom (RFC 9562 §5.8)
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // the RFC's variant
        ByteBuffer bits = ByteBuffer.wrap(hash);
        return new UUID(bits.getLong(), bits.getLong()).toString();
    }

    /** The last message on {@code subject}, as an entry; empty when there is none. */
    private Optional<PurgeEntry> lastOn(String subject) {
        try {
            MessageInfo message = management.getLastMessage(config.stream(), subject);
            return Optional.of(PurgeJson.fromJson(PurgeJson.parse(message.getData()), message.getSeq()));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return Optional.empty();
            }
            throw unavailable("read", e);
        } catch (IOException | IllegalStateException e) {
            throw unavailable("read", e);
        } catch (IllegalArgumentException e) {
            log.warn("purge log {}: the entry on {} is unreadable: {}", config.stream(), subject, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public List<PurgeEntry> after(long seq, int limit) {
        checkOpen();
        long from = seq + 1;
        synchronized (tailLock) {
            if (from >= tailFrom) {
                List<PurgeEntry> entries = new ArrayList<>(Math.min(limit, tail.size()));
                for (PurgeEntry entry : tail.tailMap(from, true).values()) {
                    if (entries.size() == limit) {
                        break;
                    }
                    entries.add(entry);
                }
                return entries;
            }
        }
        return fetch(from, limit);
    }

    /** Up to {@code limit} entries from {@code from} on, read from the stream by a short-lived consumer. */
    private List<PurgeEntry> fetch(long from, int limit) {
        List<PurgeEntry> entries = new ArrayList<>();
        try {
            FetchConsumer fetch = connection
                    .getStreamContext(config.stream())
                    .createOrderedConsumer(new OrderedConsumerConfiguration()
                            .filterSubject(subjects)
                            .deliverPolicy(DeliverPolicy.ByStartSequence)
                            .startSequence(from))
                    .fetch(FetchConsumeOptions.builder()
                            .maxMessages(limit)
                            .noWaitExpiresIn(config.requestTimeout().toMillis())
                            .build());
            for (Message message = fetch.nextMessage(); message != null; message = fetch.nextMessage()) {
                long seq = message.metaData().streamSequence();
                try {
                    entries.add(PurgeJson.fromJson(PurgeJson.parse(message.getData()), seq));
                } catch (IllegalArgumentException e) {
                    log.warn("purge log {}: entry {} is unreadable, skipped: {}", config.stream(), seq, e.getMessage());
                }
            }
            return entries;
        } catch (IOException | JetStreamApiException | JetStreamStatusCheckedException | IllegalStateException e) {
            throw unavailable("read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("read", e);
        }
    }

    @Override
    public Optional<PurgeEntry> byId(String id) {
        checkOpen();
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        synchronized (tailLock) {
            Long seq = tailIds.get(id);
            if (seq != null) {
                return Optional.ofNullable(tail.get(seq));
            }
        }
        return lastOn(subjectPrefix + id);
    }

    @Override
    public long lastSeq() {
        return Math.max(openedAt, delivered);
    }

    /** Asks the stream, so that a follower always learns of entries dropped by its retention. */
    @Override
    public long oldestSeq() {
        checkOpen();
        long oldest;
        try {
            oldest = oldest(management.getStreamInfo(config.stream()).getStreamState());
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw unavailable("read", e);
        }
        synchronized (tailLock) {
            while (!tail.isEmpty() && tail.firstKey() < oldest) {
                drop(); // aged out (max_age)
            }
        }
        return oldest;
    }

    private static long oldest(StreamState state) {
        return state.getMsgCount() == 0 ? state.getLastSequence() + 1 : state.getFirstSequence();
    }

    /** Whether the client is connected to a NATS server (it reconnects by itself when not). */
    @Override
    public boolean available() {
        return !closed && connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void onAppend(Runnable listener) {
        listeners.add(listener);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("purge log " + config.stream() + " is closed");
        }
    }

    private UncheckedIOException unavailable(String what, Exception cause) {
        Connection.Status status = connection.getStatus();
        String why = status == Connection.Status.CONNECTED
                ? String.valueOf(cause.getMessage())
                : "not connected to NATS (" + status.name().toLowerCase(Locale.ROOT) + ")";
        return new UncheckedIOException(
                "purge log: NATS JetStream stream " + config.stream() + " at " + config.servers() + ": " + what
                        + " failed: " + why,
                cause instanceof IOException io ? io : new IOException(cause));
    }

    /** Stops following the stream and closes the connection; the log is unusable afterwards. */
    @Override
    public void close() {
        synchronized (tailLock) {
            if (closed) {
                return;
            }
            closed = true;
            tailLock.notifyAll();
        }
        MessageConsumer following = consumer;
        if (following != null) {
            following.stop();
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "NATS JetStream stream " + config.stream() + " at " + config.servers();
    }

    /**
     * Sends what the NATS client reports to SLF4J (instead of java.util.logging): one warning when
     * the connection is lost, not one per reconnection attempt, and one line when it is back.
     */
    private static final class ConnectionLog implements ConnectionListener, ErrorListener {
        private final String stream;
        private final AtomicBoolean down = new AtomicBoolean();

        ConnectionLog(String stream) {
            this.stream = stream;
        }

        @Override
        public void connectionEvent(Connection connection, ConnectionListener.Events event) {
            switch (event) {
                case DISCONNECTED -> {
                    if (down.compareAndSet(false, true)) {
                        log.warn(
                                "purge log {}: disconnected from NATS; reconnecting (appends answer 503 meanwhile)",
                                stream);
                    }
                }
                case RECONNECTED -> {
                    down.set(false);
                    log.info("purge log {}: reconnected to NATS at {}", stream, connection.getConnectedUrl());
                }
                case LAME_DUCK -> log.info("purge log {}: the NATS server is shutting down (lame duck)", stream);
                default -> log.debug("purge log {}: NATS connection {}", stream, event);
            }
        }

        @Override
        public void errorOccurred(Connection connection, String error) {
            log.warn("purge log {}: NATS server error: {}", stream, error);
        }

        @Override
        public void exceptionOccurred(Connection connection, Exception exception) {
            if (down.get()) {
                log.debug("purge log {}: NATS client, while reconnecting: {}", stream, exception.toString());
            } else {
                log.warn("purge log {}: NATS client: {}", stream, exception.toString());
            }
        }
    }
}
