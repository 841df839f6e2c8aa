package io.parley.evidence;

import io.parley.envelope.Tlp;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The marking-definition ids that every STIX consumer knows without seeing the object, so a bundle may reference them
 * without carrying the definition (and {@link StixValidator} resolves them).
 *
 * <ul>
 *   <li>TLP 1.0: predefined by STIX 2.1 §7.2.1.4 (also pinned by the official {@code marking-definition.json} schema).
 *   <li>TLP 2.0: OASIS cti-stix-common-objects, "TLP 2.0 marking definition" extension
 *       {@code extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d}, objects created 2022-10-01.
 *   <li>PAP: OASIS cti-stix-common-objects, "PAP Marking Definition for STIX 2.1" extension
 *       {@code extension-definition--f8d78575-edfd-406e-8e84-6162a8450f5b}; the spec says these are the only permitted
 *       PAP instances and need not be shipped in a bundle.
 * </ul>
 */
public final class WellKnownMarkings {
    public static final String TLP1_WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    public static final String TLP1_GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    public static final String TLP1_AMBER = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    public static final String TLP1_RED = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

    public static final String TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
    public static final String TLP2_CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    public static final String TLP2_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    public static final String TLP2_AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    public static final String TLP2_AMBER_STRICT = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    public static final String TLP2_RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

    public static final String PAP_EXTENSION = "extension-definition--f8d78575-edfd-406e-8e84-6162a8450f5b";
    public static final String PAP_CLEAR = "marking-definition--ad15a0cd-55b6-4588-a14c-a66105329b92";
    public static final String PAP_WHITE = "marking-definition--a3bea94c-b469-41dc-9cfe-d6e7daba7730";
    public static final String PAP_GREEN = "marking-definition--c43594d1-4b11-4c59-93ab-1c9b14d53ce9";
    public static final String PAP_AMBER = "marking-definition--60f8932b-e51e-4458-b265-a2e8be9a80ab";
    public static final String PAP_RED = "marking-definition--740d36e5-7714-4c30-961a-3ae632ceee0e";

    /** TLP 1.0 WHITE maps to TLP 2.0 CLEAR (FIRST TLP 2.0: "TLP:WHITE has been replaced by TLP:CLEAR"). */
    private static final Map<String, Tlp> TLP = Map.of(
            TLP1_WHITE, Tlp.CLEAR, TLP1_GREEN, Tlp.GREEN, TLP1_AMBER, Tlp.AMBER, TLP1_RED, Tlp.RED,
            TLP2_CLEAR, Tlp.CLEAR, TLP2_GREEN, Tlp.GREEN, TLP2_AMBER, Tlp.AMBER,
            TLP2_AMBER_STRICT, Tlp.AMBER_STRICT, TLP2_RED, Tlp.RED);

    private static final Map<String, Pap> PAP = Map.of(
            PAP_CLEAR, Pap.CLEAR, PAP_WHITE, Pap.CLEAR, PAP_GREEN, Pap.GREEN, PAP_AMBER, Pap.AMBER, PAP_RED, Pap.RED);

    private static final Map<Tlp, String> TLP2_BY_LEVEL = new EnumMap<>(Map.of(
            Tlp.CLEAR, TLP2_CLEAR, Tlp.GREEN, TLP2_GREEN, Tlp.AMBER, TLP2_AMBER,
            Tlp.AMBER_STRICT, TLP2_AMBER_STRICT, Tlp.RED, TLP2_RED));

    private static final Map<Pap, String> PAP_BY_LEVEL = new EnumMap<>(Map.of(
            Pap.CLEAR, PAP_CLEAR, Pap.GREEN, PAP_GREEN, Pap.AMBER, PAP_AMBER, Pap.RED, PAP_RED));

    private static final Set<String> ALL;

    static {
        var all = new java.util.HashSet<String>(TLP.keySet());
        all.addAll(PAP.keySet());
        ALL = Set.copyOf(all);
    }

    private WellKnownMarkings() {}

    /** True for the TLP 1.0, TLP 2.0 and PAP marking-definition ids. */
    public static boolean isWellKnown(String id) {
        return ALL.contains(id);
    }

    /** All well-known ids (TLP 1.0, TLP 2.0, PAP). */
    public static Set<String> ids() {
        return ALL;
    }

    /** The TLP level a well-known marking id stands for (TLP 1.0 WHITE reads as CLEAR). */
    public static Optional<Tlp> tlpOf(String markingId) {
        return Optional.ofNullable(TLP.get(markingId));
    }

    /** The PAP level a well-known marking id stands for. */
    public static Optional<Pap> papOf(String markingId) {
        return Optional.ofNullable(PAP.get(markingId));
    }

    /** The TLP 2.0 marking-definition id for {@code tlp}: what Parley writes. */
    public static String tlp2Id(Tlp tlp) {
        return TLP2_BY_LEVEL.get(tlp);
    }

    /** The PAP marking-definition id for {@code pap}. */
    public static String papId(Pap pap) {
        return PAP_BY_LEVEL.get(pap);
    }
}
