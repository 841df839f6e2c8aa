package io.parley.norms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Practice;

/**
 * The commitments shipped with Parley ({@code commitments.json}): the eleven UN GGE 2015 norms
 * ({@code un-gge-2015:13a} to {@code 13k}), the OSCE cyber CBMs ({@code osce-cbm:1} to {@code 16}) and the Budapest
 * Convention's co-operation articles ({@code budapest:23} to {@code 35}). A charter names them by id; free-form
 * commitments ({@code free:...}) carry their own text and are never looked up here.
 */
public final class CommitmentCatalogue {

    /** One catalogue commitment: its id, the source document it comes from, a short title and a one-line paraphrase. */
    public record Entry(String id, String source, String title, String summary) {}

    private final Map<String, Entry> entries;
    private final Map<String, String> sources;

    private CommitmentCatalogue(Map<String, Entry> entries, Map<String, String> sources) {
        this.entries = entries;
        this.sources = sources;
    }

    public static CommitmentCatalogue shipped() {
        return Shipped.VALUE;
    }

    /** Read on first use only: the pure timeline uses this class's static rules without needing the list. */
    private static final class Shipped {
        static final CommitmentCatalogue VALUE = load("commitments.json");
    }

    public List<Entry> all() {
        return List.copyOf(entries.values());
    }

    public Optional<Entry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** The source documents by id prefix ({@code un-gge-2015}, {@code osce-cbm}, {@code budapest}), each described. */
    public Map<String, String> sources() {
        return sources;
    }

    /** How a charter's commitment reads for people: a catalogue title, a free-form text, or its bare id when unknown here. */
    public String titleOf(Practice.Commitment c) {
        if (c.freeForm()) return c.text();
        return find(c.id()).map(Entry::title).orElse(c.id() + " (not in this version's catalogue)");
    }

    /** The JSON pointers ({@code /commitments/N}) of the catalogue ids in {@code practice} that this catalogue does not hold. */
    public List<String> unknownIn(Practice practice) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < practice.commitments().size(); i++) {
            Practice.Commitment c = practice.commitments().get(i);
            if (!c.freeForm() && !entries.containsKey(c.id())) out.add("/commitments/" + i);
        }
        return out;
    }

    private static CommitmentCatalogue load(String resource) {
        JsonNode o = Resources.json(CommitmentCatalogue.class, resource);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonNode c : o.get("commitments")) {
            String id = c.get("id").asText();
            String source = id.substring(0, id.indexOf(':'));
            if (entries.put(id, new Entry(id, source, c.get("title").asText(), c.get("summary").asText())) != null) {
                throw new IllegalStateException(resource + " lists " + id + " twice");
            }
        }
        Map<String, String> sources = new LinkedHashMap<>();
        o.get("sources").properties().forEach(e -> sources.put(e.getKey(), e.getValue().asText()));
        return new CommitmentCatalogue(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(sources));
    }
}
