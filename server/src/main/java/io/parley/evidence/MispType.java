package io.parley.evidence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A MISP attribute type (MISP's {@code describeTypes}) with the shape of its STIX 2.1 representation and MISP's
 * default category. Types MISP knows that have no STIX object of their own ({@code text}, {@code comment},
 * {@code btc}, {@code phone-number}, ...) are not listed: they travel as a {@code note} ({@link Shape#TEXT}).
 *
 * @param misp the MISP type name
 * @param shape how values of this type are represented in STIX
 * @param defaultCategory MISP's default category, used when a STIX object carries no {@code misp:category} label
 * @param key the shape's parameter: a hash algorithm key for hashes, {@code src}/{@code dst} for address-port pairs,
 *     an e-mail header name, or a pattern language; empty when the shape needs none
 */
record MispType(String misp, Shape shape, String defaultCategory, String key) {
    /** How a MISP attribute value becomes STIX. */
    enum Shape {
        /** An IPv4/IPv6 SCO. */ ADDRESS,
        /** A domain-name SCO. */ DOMAIN,
        /** A url SCO. */ URL,
        /** An email-addr SCO. */ EMAIL,
        /** An autonomous-system SCO. */ ASN,
        /** A file SCO with one hash. */ HASH,
        /** A file SCO with a name. */ FILENAME,
        /** {@code name|hash}: a file SCO with name and hash. */ FILENAME_HASH,
        /** {@code ip|port}: a network-traffic SCO to/from an address SCO. */ ADDRESS_PORT,
        /** {@code hostname|port}: a network-traffic SCO to a domain-name SCO. */ HOST_PORT,
        /** {@code domain|ip}: a domain-name SCO resolving to an address SCO. */ DOMAIN_IP,
        /** A windows-registry-key SCO. */ REGKEY,
        /** {@code key|data}: a windows-registry-key SCO with one value. */ REGKEY_VALUE,
        /** A mutex SCO. */ MUTEX,
        /** A mac-addr SCO. */ MAC,
        /** An x509-certificate SCO with one fingerprint. */ X509,
        /** An email-message SCO with the subject. */ EMAIL_SUBJECT,
        /** An email-message SCO with the body. */ EMAIL_BODY,
        /** An email-message SCO with the Message-ID. */ EMAIL_MESSAGE_ID,
        /** An email-message SCO with one additional header. */ EMAIL_HEADER,
        /** A detection rule: an indicator in another pattern language (snort, yara, sigma, ...). */ SIGNATURE,
        /** A vulnerability SDO (with a CVE external reference when the name is a CVE id). */ VULNERABILITY,
        /** A threat-actor SDO. */ THREAT_ACTOR,
        /** A campaign SDO. */ CAMPAIGN,
        /** A file SCO with a name, and an artifact with the content when MISP sent it. */ ATTACHMENT,
        /** {@code name|md5} with content: a file SCO with name and MD5, and an artifact. */ MALWARE_SAMPLE,
        /** A note whose external reference is the link. */ LINK,
        /** A note carrying the value: every type without a STIX object of its own. */ TEXT
    }

    private static final String NETWORK = "Network activity";
    private static final String PAYLOAD = "Payload delivery";
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final Pattern FUZZY = Pattern.compile("[A-Za-z0-9/+:.=_-]{1,512}");

    /** Hash algorithm names: MISP's spelling to the STIX key (§10.10 hash-algorithm-ov, else a custom key). */
    private static final Map<String, String> HASH_KEYS = new LinkedHashMap<>();
    /** Hex length of each fixed-length hash, by STIX key; the others are checked by {@link #FUZZY}. */
    private static final Map<String, Integer> HEX_LENGTHS = Map.ofEntries(Map.entry("MD5", 32), Map.entry("SHA-1", 40),
            Map.entry("SHA224", 56), Map.entry("SHA-256", 64), Map.entry("SHA384", 96), Map.entry("SHA-512", 128),
            Map.entry("SHA512-224", 56), Map.entry("SHA512-256", 64), Map.entry("SHA3-224", 56),
            Map.entry("SHA3-256", 64), Map.entry("SHA3-384", 96), Map.entry("SHA3-512", 128), Map.entry("IMPHASH", 32),
            Map.entry("AUTHENTIHASH", 64), Map.entry("PEHASH", 40), Map.entry("CDHASH", 40));
    private static final Map<String, MispType> TYPES = new LinkedHashMap<>();

    static {
        String[][] hashes = {{"md5", "MD5"}, {"sha1", "SHA-1"}, {"sha224", "SHA224"}, {"sha256", "SHA-256"},
            {"sha384", "SHA384"}, {"sha512", "SHA-512"}, {"sha512/224", "SHA512-224"}, {"sha512/256", "SHA512-256"},
            {"sha3-224", "SHA3-224"}, {"sha3-256", "SHA3-256"}, {"sha3-384", "SHA3-384"}, {"sha3-512", "SHA3-512"},
            {"ssdeep", "SSDEEP"}, {"tlsh", "TLSH"}, {"imphash", "IMPHASH"}, {"impfuzzy", "IMPFUZZY"},
            {"authentihash", "AUTHENTIHASH"}, {"vhash", "VHASH"}, {"pehash", "PEHASH"}, {"telfhash", "TELFHASH"},
            {"cdhash", "CDHASH"}};
        for (String[] h : hashes) {
            HASH_KEYS.put(h[0], h[1]);
            add(h[0], Shape.HASH, PAYLOAD, h[1]);
            add("filename|" + h[0], Shape.FILENAME_HASH, PAYLOAD, h[1]);
        }
        add("ip-src", Shape.ADDRESS, NETWORK, "src");
        add("ip-dst", Shape.ADDRESS, NETWORK, "dst");
        add("ip-src|port", Shape.ADDRESS_PORT, NETWORK, "src");
        add("ip-dst|port", Shape.ADDRESS_PORT, NETWORK, "dst");
        add("domain", Shape.DOMAIN, NETWORK, "");
        add("hostname", Shape.DOMAIN, NETWORK, "");
        add("domain|ip", Shape.DOMAIN_IP, NETWORK, "");
        add("hostname|port", Shape.HOST_PORT, NETWORK, "");
        add("url", Shape.URL, NETWORK, "");
        add("uri", Shape.URL, NETWORK, "");
        add("link", Shape.LINK, "External analysis", "");
        add("email", Shape.EMAIL, "Social network", "");
        add("email-src", Shape.EMAIL, PAYLOAD, "");
        add("email-dst", Shape.EMAIL, NETWORK, "");
        add("target-email", Shape.EMAIL, "Targeting data", "");
        add("whois-registrant-email", Shape.EMAIL, "Attribution", "");
        add("dns-soa-email", Shape.EMAIL, "Attribution", "");
        add("AS", Shape.ASN, NETWORK, "");
        add("mac-address", Shape.MAC, NETWORK, "");
        add("filename", Shape.FILENAME, PAYLOAD, "");
        add("email-attachment", Shape.FILENAME, PAYLOAD, "");
        add("attachment", Shape.ATTACHMENT, "External analysis", "");
        add("malware-sample", Shape.MALWARE_SAMPLE, PAYLOAD, "MD5");
        add("regkey", Shape.REGKEY, "Persistence mechanism", "");
        add("regkey|value", Shape.REGKEY_VALUE, "Persistence mechanism", "");
        add("mutex", Shape.MUTEX, "Artifacts dropped", "");
        add("x509-fingerprint-md5", Shape.X509, NETWORK, "MD5");
        add("x509-fingerprint-sha1", Shape.X509, NETWORK, "SHA-1");
        add("x509-fingerprint-sha256", Shape.X509, NETWORK, "SHA-256");
        add("email-subject", Shape.EMAIL_SUBJECT, PAYLOAD, "");
        add("email-body", Shape.EMAIL_BODY, PAYLOAD, "");
        add("email-message-id", Shape.EMAIL_MESSAGE_ID, PAYLOAD, "");
        add("email-reply-to", Shape.EMAIL_HEADER, PAYLOAD, "Reply-To");
        add("email-x-mailer", Shape.EMAIL_HEADER, PAYLOAD, "X-Mailer");
        add("snort", Shape.SIGNATURE, NETWORK, "snort");
        add("yara", Shape.SIGNATURE, "Payload installation", "yara");
        add("sigma", Shape.SIGNATURE, "Payload installation", "sigma");
        add("stix2-pattern", Shape.SIGNATURE, "Payload installation", "stix");
        add("bro", Shape.SIGNATURE, NETWORK, "bro");
        add("zeek", Shape.SIGNATURE, NETWORK, "zeek");
        add("vulnerability", Shape.VULNERABILITY, "External analysis", "");
        add("threat-actor", Shape.THREAT_ACTOR, "Attribution", "");
        add("campaign-name", Shape.CAMPAIGN, "Attribution", "");
        add("text", Shape.TEXT, "Other", "");
        add("comment", Shape.TEXT, "Other", "");
        add("other", Shape.TEXT, "Other", "");
    }

    private static void add(String misp, Shape shape, String category, String key) {
        TYPES.put(misp, new MispType(misp, shape, category, key));
    }

    /** The listed type, or empty for one that travels as text. */
    static Optional<MispType> fromMisp(String type) {
        return Optional.ofNullable(TYPES.get(type));
    }

    /** Every listed type, in table order (for tests and the documentation table). */
    static Iterable<MispType> all() {
        return TYPES.values();
    }

    /** The MISP type named {@code name}, which must be listed. */
    static MispType named(String name) {
        MispType t = TYPES.get(name);
        if (t == null) {
            throw new IllegalArgumentException("not a listed MISP type: " + name);
        }
        return t;
    }

    /** The MISP hash type for a STIX hash key ({@code SHA-256} → {@code sha256}), when MISP has one. */
    static Optional<String> hashTypeFor(String stixKey) {
        for (Map.Entry<String, String> e : HASH_KEYS.entrySet()) {
            if (e.getValue().equalsIgnoreCase(stixKey)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** The hash value normalised for STIX key {@code stixKey}, or empty when it is not a valid one. */
    static Optional<String> hash(String stixKey, String value) {
        Integer hexLength = HEX_LENGTHS.get(stixKey);
        if (hexLength != null) {
            return value.length() == hexLength && HEX.matcher(value).matches()
                    ? Optional.of(value.toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
        }
        if (stixKey.equals("TLSH")) { // the schema's TLSH is 70 alphanumerics; MISP's "T1"-prefixed form is not
            return value.length() == 70 && HEX.matcher(value).matches() ? Optional.of(value) : Optional.empty();
        }
        if (stixKey.equals("SSDEEP")) {
            return value.length() <= 128 && value.matches("[a-zA-Z0-9/+:.]+") ? Optional.of(value) : Optional.empty();
        }
        return FUZZY.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }
}
