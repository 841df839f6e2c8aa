package io.parley.taxii;

import java.util.List;
import java.util.Optional;

import io.parley.charter.Charter;
import io.parley.store.ChannelStore;

/** The charters the evidence services consult for audiences (members, TLP ceiling); a seam for tests. */
public interface ChannelDirectory {
    Optional<Charter> charter(String channel);

    List<Charter> all();

    static ChannelDirectory of(ChannelStore store) {
        return new ChannelDirectory() {
            @Override
            public Optional<Charter> charter(String channel) {
                return store.charter(channel);
            }

            @Override
            public List<Charter> all() {
                return store.all();
            }
        };
    }
}
