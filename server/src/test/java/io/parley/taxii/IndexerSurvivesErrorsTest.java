package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.store.Database;
import io.parley.store.EnvelopeStore;
import io.parley.testing.Fixtures;
import io.parley.testing.TestDatabases;

/** The envelope indexer records and skips an envelope whose handling fails with any Throwable, and goes on. */
class IndexerSurvivesErrorsTest {
    @TempDir Path tmp;
    static final SigningKey SELF = SigningKey.generate("cert-s.example");
    static final SigningKey PEER = SigningKey.generate("cert-p.example");

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void anErrorInOneEnvelopeIsRecordedAndTheNextIsIndexed(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            Charter good = Fixtures.charter("good", Tlp.AMBER, SELF, PEER);
            // a directory that fails hard on one channel, as a hostile input once made the pattern parser do
            ChannelDirectory directory = new ChannelDirectory() {
                @Override
                public Optional<Charter> charter(String channel) {
                    if (channel.equals("bomb")) throw new StackOverflowError("simulated");
                    return channel.equals("good") ? Optional.of(good) : Optional.empty();
                }

                @Override
                public List<Charter> all() {
                    return List.of(good);
                }
            };
            Evidence svc = Evidence.of(new EvidenceStore(db), new TaxiiStore(db), directory, SELF.name(), Clock.systemUTC());
            EnvelopeStore envelopes = new EnvelopeStore(db);
            Envelope bomb = envelope("bomb", "203.0.113.200");
            Envelope next = envelope("good", "203.0.113.201");
            envelopes.insert(bomb, bomb.hash(), Instant.now());
            envelopes.insert(next, next.hash(), Instant.now());
            EvidenceWorkerHarness.indexAll(svc);
            assertTrue(svc.store().indexFailure(bomb.hash()).orElseThrow().contains("StackOverflowError"));
            assertEquals(1, svc.correlation().sightings(svc.access().requester("duty", "officer"), io.parley.evidence.ObservableType.IPV4, "203.0.113.201").size(),
                    "the envelope behind the failing one was indexed");
            assertTrue(svc.store().indexFailure(next.hash()).isEmpty());
        }
    }

    private static Envelope envelope(String channel, String ip) {
        ObjectNode body = Json.object().put("text", "x");
        body.set("stix", Stix.bundle(Stix.indicator(Tlp.GREEN, ip)));
        return EnvelopeSigner.sign(new Envelope(1, channel, PEER.name(), 1, null, Kind.NOTIFY, null, "2026-11-23T10:00:00Z",
                Priority.URGENT, Tlp.GREEN, body, null), PEER);
    }
}
