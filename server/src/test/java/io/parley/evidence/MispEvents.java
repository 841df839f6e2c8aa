package io.parley.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.json.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Seeded random MISP events: every attribute type with a valid value, objects with references, tags and galaxies. */
final class MispEvents {
    /** Types MISP has that no STIX object carries: they must survive as notes. */
    static final List<String> UNLISTED = List.of("btc", "phone-number", "port", "size-in-bytes", "user-agent", "cpe",
            "github-username", "http-method", "ja3-fingerprint-md5", "pdb", "mime-type", "named pipe", "iban");
    private static final List<String> TLPS = List.of("tlp:white", "tlp:clear", "tlp:green", "tlp:amber", "TLP:AMBER+STRICT",
            "tlp:red");
    private static final List<String> PAPS = List.of("PAP:WHITE", "PAP:CLEAR", "PAP:GREEN", "PAP:AMBER", "PAP:RED");
    private static final List<String> OTHER_TAGS = List.of("osint:source-type=\"blog-post\"", "kill-chain:Delivery",
            "admiralty-scale:source-reliability=\"b\"", "workflow:state=\"complete\"", "Ünicode tag ✓");

    private final Random rnd;
    private long clock = 1_700_000_000L;

    MispEvents(long seed) {
        this.rnd = new Random(seed);
    }

    /** Every type MISP attribute generators here know: the listed ones and the unlisted samples. */
    static List<String> allTypes() {
        List<String> types = new ArrayList<>();
        MispType.all().forEach(t -> types.add(t.misp()));
        types.addAll(UNLISTED);
        return types;
    }

    ObjectNode event(int attributes, int objects) {
        ObjectNode root = Json.object();
        ObjectNode e = root.putObject("Event");
        e.put("uuid", uuid());
        e.put("info", "generated event " + rnd.nextInt(1_000_000) + " with \"quotes\" and ünicode");
        e.put("date", "2024-0" + (1 + rnd.nextInt(9)) + "-1" + rnd.nextInt(10));
        e.put("timestamp", Long.toString(clock + rnd.nextInt(86_400)));
        e.put("published", rnd.nextBoolean());
        e.put("analysis", Integer.toString(rnd.nextInt(3)));
        e.put("threat_level_id", Integer.toString(1 + rnd.nextInt(4)));
        e.put("distribution", Integer.toString(rnd.nextInt(4)));
        e.putObject("Orgc").put("name", "CERT-" + rnd.nextInt(100)).put("uuid", uuid());
        ArrayNode tags = e.putArray("Tag");
        tags.addObject().put("name", pick(List.of("tlp:white", "tlp:clear", "tlp:green", "tlp:amber")));
        if (rnd.nextBoolean()) {
            tags.addObject().put("name", pick(List.of("PAP:GREEN", "PAP:AMBER")));
        }
        tags.addObject().put("name", pick(OTHER_TAGS));
        ArrayNode galaxies = e.putArray("Galaxy");
        ObjectNode g = galaxies.addObject().put("uuid", uuid()).put("name", "Threat Actor").put("type", "threat-actor")
                .put("namespace", "misp").put("description", "Threat actors are characteristics of malicious actors.");
        String actor = "APT-" + rnd.nextInt(100);
        g.putArray("GalaxyCluster").addObject().put("uuid", uuid()).put("type", "threat-actor").put("value", actor)
                .put("tag_name", "misp-galaxy:threat-actor=\"" + actor + "\"").put("description", "an actor");
        List<String> types = allTypes();
        ArrayNode attrs = e.putArray("Attribute");
        for (int i = 0; i < attributes; i++) {
            attrs.add(attribute(types.get(rnd.nextInt(types.size()))));
        }
        ArrayNode objs = e.putArray("Object");
        List<String> objectUuids = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            ObjectNode o = object(i);
            objectUuids.add(o.get("uuid").textValue());
            objs.add(o);
        }
        for (int i = 0; i < objects; i++) {
            ObjectNode o = (ObjectNode) objs.get(i);
            ArrayNode refs = o.putArray("ObjectReference");
            if (objects > 1) {
                refs.addObject().put("uuid", uuid()).put("object_uuid", o.get("uuid").textValue())
                        .put("referenced_uuid", objectUuids.get((i + 1) % objects))
                        .put("relationship_type", pick(List.of("related-to", "drops", "communicates-with", "Contains")))
                        .put("comment", "ref " + i).put("timestamp", ts());
            }
            if (!attrs.isEmpty()) {
                refs.addObject().put("uuid", uuid()).put("object_uuid", o.get("uuid").textValue())
                        .put("referenced_uuid", attrs.get(rnd.nextInt(attrs.size())).get("uuid").textValue())
                        .put("relationship_type", "indicates").put("timestamp", ts());
            }
        }
        return root;
    }

    private ObjectNode object(int i) {
        String[][] templates = {{"file", "file", "688c46fb-5edb-40a3-8273-1af7923e2215"},
            {"domain-ip", "network", "43b3b146-77eb-4931-b4cc-b66c60f28734"},
            {"email", "network", "a0c666e0-fc65-4be8-b48f-3423d788b552"}};
        String[] t = templates[rnd.nextInt(templates.length)];
        ObjectNode o = Json.object();
        o.put("uuid", uuid()).put("name", t[0]).put("meta-category", t[1]).put("template_uuid", t[2])
                .put("template_version", Integer.toString(10 + rnd.nextInt(20))).put("description", "template " + t[0])
                .put("comment", i % 2 == 0 ? "" : "object comment " + i).put("timestamp", ts()).put("distribution", "5");
        ArrayNode attrs = o.putArray("Attribute");
        List<String[]> parts = switch (t[0]) {
            case "file" -> List.of(new String[] {"filename", "filename"}, new String[] {"md5", "md5"},
                    new String[] {"sha256", "sha256"}, new String[] {"size-in-bytes", "size-in-bytes"});
            case "domain-ip" -> List.of(new String[] {"domain", "domain"}, new String[] {"ip", "ip-dst"},
                    new String[] {"port", "port"});
            default -> List.of(new String[] {"from", "email-src"}, new String[] {"subject", "email-subject"},
                    new String[] {"reply-to", "email-reply-to"}, new String[] {"attachment", "email-attachment"});
        };
        for (String[] p : parts) {
            attrs.add(attribute(p[1]).put("object_relation", p[0]));
        }
        return o;
    }

    ObjectNode attribute(String type) {
        ObjectNode a = Json.object();
        a.put("uuid", uuid());
        a.put("type", type);
        MispType.fromMisp(type).ifPresent(t -> a.put("category", t.defaultCategory()));
        if (!a.has("category") || rnd.nextInt(4) == 0) {
            a.put("category", pick(List.of("Other", "External analysis", "Network activity", "Payload delivery")));
        }
        a.put("value", value(type));
        a.put("to_ids", rnd.nextBoolean());
        a.put("comment", rnd.nextInt(3) == 0 ? "" : "comment with 'quotes' ✓ " + rnd.nextInt(1000));
        a.put("timestamp", ts());
        a.put("distribution", "5");
        if (rnd.nextInt(3) == 0) {
            a.put("first_seen", "2024-01-0" + (1 + rnd.nextInt(9)) + "T10:00:00.000000+00:00");
        }
        if (type.equals("attachment") || type.equals("malware-sample")) {
            byte[] data = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(data);
            a.put("data", Base64.getEncoder().encodeToString(data));
        }
        int tags = rnd.nextInt(4);
        if (tags > 0) {
            ArrayNode t = a.putArray("Tag");
            if (rnd.nextBoolean()) {
                t.addObject().put("name", pick(TLPS));
            }
            if (rnd.nextBoolean()) {
                t.addObject().put("name", pick(PAPS));
            }
            t.addObject().put("name", pick(OTHER_TAGS));
        }
        return a;
    }

    /** A value valid for {@code type} (occasionally in a spelling Parley normalises, to prove the original returns). */
    String value(String type) {
        int n = rnd.nextInt(250) + 1;
        return switch (type) {
            case "ip-src", "ip-dst" -> ip();
            case "ip-src|port", "ip-dst|port" -> ip() + "|" + rnd.nextInt(65536);
            case "domain", "hostname" -> domain();
            case "domain|ip" -> domain() + "|" + ip();
            case "hostname|port" -> domain() + "|" + (1 + rnd.nextInt(65535));
            case "url", "uri", "link" -> "https://" + domain() + "/path/" + n + "?q='" + n + "'&r=" + n;
            case "email", "email-src", "email-dst", "target-email", "whois-registrant-email", "dns-soa-email",
                    "email-reply-to" -> "User" + n + "@" + domain();
            case "AS" -> "AS" + (64496 + n);
            case "mac-address" -> String.format("00:1a:2b:3c:4d:%02x", n);
            case "filename", "email-attachment", "attachment" -> "Invoice " + n + ".pdf.exe";
            case "malware-sample" -> "sample" + n + ".exe|" + hex(32);
            case "regkey" -> "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\k" + n;
            case "regkey|value" -> "HKCU\\Software\\k" + n + "|C:\\Users\\Public\\x" + n + ".exe";
            case "mutex" -> "Global\\mtx-" + n;
            case "email-subject" -> "Urgent: invoice " + n;
            case "email-body" -> "Dear colleague,\nplease open the attachment " + n + ".";
            case "email-message-id" -> "<" + n + "." + hex(8) + "@mail.example.net>";
            case "email-x-mailer" -> "Microsoft Outlook 16.0." + n;
            case "snort" -> "alert tcp any any -> any 80 (msg:\"evil " + n + "\"; sid:" + (1000000 + n) + ";)";
            case "yara" -> "rule r" + n + " { strings: $a = \"evil\" condition: $a }";
            case "sigma" -> "title: t" + n + "\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image: x.exe\n  condition: sel";
            case "stix2-pattern" -> "[ipv4-addr:value = '" + ip() + "']";
            case "bro", "zeek" -> "signature s" + n + " { ip-proto == tcp }";
            case "vulnerability" -> "CVE-2024-" + (1000 + n);
            case "threat-actor" -> "Actor " + n;
            case "campaign-name" -> "Operation " + n;
            case "text", "comment", "other" -> "free text " + n + " ✓ with\nnewline";
            case "ssdeep" -> "96:" + alnum(30) + ":" + alnum(20);
            case "tlsh" -> hex(70).toUpperCase();
            case "impfuzzy", "vhash", "telfhash" -> alnum(40);
            case "btc" -> "1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
            case "phone-number" -> "+352 247 88" + n;
            case "port", "size-in-bytes" -> Integer.toString(n);
            case "user-agent" -> "Mozilla/5.0 (evil " + n + ")";
            case "cpe" -> "cpe:2.3:a:vendor:product:" + n + ":*:*:*:*:*:*:*";
            case "github-username" -> "user" + n;
            case "http-method" -> "POST";
            case "ja3-fingerprint-md5" -> hex(32);
            case "pdb" -> "C:\\build\\x" + n + ".pdb";
            case "mime-type" -> "application/x-msdownload";
            case "named pipe" -> "\\\\.\\pipe\\p" + n;
            case "iban" -> "LU28001940000000" + n;
            default -> hashValue(type);
        };
    }

    private String hashValue(String type) {
        String algo = type.startsWith("filename|") ? type.substring(9) : type.startsWith("x509-fingerprint-")
                ? type.substring(17) : type;
        String h = switch (algo) {
            case "md5", "imphash" -> hex(32);
            case "sha1", "pehash", "cdhash" -> hex(40);
            case "sha224", "sha512/224", "sha3-224" -> hex(56);
            case "sha256", "sha512/256", "sha3-256", "authentihash" -> hex(64);
            case "sha384", "sha3-384" -> hex(96);
            case "sha512", "sha3-512" -> hex(128);
            case "ssdeep" -> "96:" + alnum(30) + ":" + alnum(20);
            case "tlsh" -> hex(70);
            default -> alnum(40);
        };
        if (rnd.nextInt(5) == 0) {
            h = h.toUpperCase(); // MISP keeps the spelling; Parley's SCO is lower-case
        }
        return type.startsWith("filename|") ? "file " + rnd.nextInt(99) + ".dll|" + h : h;
    }

    private String ip() {
        return rnd.nextBoolean() ? "198.51.100." + rnd.nextInt(256) : "2001:db8::" + Integer.toHexString(rnd.nextInt(65536));
    }

    private String domain() {
        String d = "host" + rnd.nextInt(1000) + ".example-" + rnd.nextInt(50) + ".net";
        return rnd.nextInt(5) == 0 ? d.toUpperCase() : d;
    }

    private String hex(int length) {
        byte[] b = new byte[(length + 1) / 2];
        rnd.nextBytes(b);
        return HexFormat.of().formatHex(b).substring(0, length);
    }

    private String alnum(int length) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(chars.charAt(rnd.nextInt(chars.length())));
        }
        return sb.toString();
    }

    private String ts() {
        return Long.toString(clock + rnd.nextInt(1_000_000));
    }

    private String uuid() {
        return new UUID(rnd.nextLong(), rnd.nextLong()).toString().replaceFirst("^(.{14}).", "$14")
                .replaceFirst("^(.{19}).", "$18");
    }

    private <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }
}
