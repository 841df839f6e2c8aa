package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.envelope.Tlp;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes a case's STIX bundle as an IODEF v2 document (RFC 7970), the format many CSIRTs and abuse desks ingest.
 *
 * <p>One {@code Incident} (purpose {@code reporting}) carries the case metadata ({@code IncidentID},
 * {@code GenerationTime}, {@code Description}, the reporter as {@code Contact}) and an {@code IndicatorData} with one
 * {@code Indicator} per distinct observable (see {@link Indicators}): IPs, e-mail addresses, URLs and AS numbers as
 * {@code Address} (categories {@code ipv4-addr}/{@code ipv4-net}/{@code ipv6-addr}/{@code ipv6-net}/{@code e-mail}/
 * {@code site-uri}/{@code asn}), domains as {@code DomainData}, hashes as {@code FileData/File/HashData} with XML-DSig
 * {@code DigestMethod}/{@code DigestValue} (the value base64, as {@code ds:DigestValueType} is {@code base64Binary}).
 *
 * <p>The bundle's strictest TLP becomes the {@code Incident}'s {@code restriction} (RFC 7970 §3.3.1 has the TLP 1.0
 * colours; AMBER+STRICT, "organisation only", maps to {@code need-to-know}). Redact before exporting: this class
 * writes what it is given. Built with the JDK's DOM and {@link Transformer}, so escaping is the XML library's job;
 * characters XML 1.0 cannot carry at all (most C0 controls) are replaced with U+FFFD.
 */
public final class IodefExport {
    public static final String NS = "urn:ietf:params:xml:ns:iodef-2.0";
    public static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

    /** Who to contact about the case. */
    public record Contact(String name, String email) {
        public Contact {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Case metadata.
     *
     * @param id the case id, unique within {@code issuer} (RFC 7970 §3.4 IncidentID)
     * @param issuer the fully qualified domain name of the issuing CSIRT (IncidentID {@code name}), e.g. the node name
     */
    public record CaseMetadata(String id, String issuer, String title, Instant created, Contact reporter) {
        public CaseMetadata {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(reporter, "reporter");
        }
    }

    /** XML-DSig / XML-Enc algorithm URIs (RFC 6931 for MD5 and the xmlenc SHA-256). */
    private static final Map<ObservableType, String> DIGEST_URI = Map.of(
            ObservableType.MD5, "http://www.w3.org/2001/04/xmldsig-more#md5",
            ObservableType.SHA1, "http://www.w3.org/2000/09/xmldsig#sha1",
            ObservableType.SHA256, "http://www.w3.org/2001/04/xmlenc#sha256");

    private IodefExport() {}

    /** The IODEF-Document for {@code bundle}, as UTF-8 XML text. */
    public static String toXml(JsonNode bundle, CaseMetadata meta) {
        Document doc = newDocument();
        Element root = doc.createElementNS(NS, "IODEF-Document");
        root.setAttribute("version", "2.00");
        root.setAttributeNS(XMLConstants.XML_NS_URI, "xml:lang", "en");
        root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:ds", DSIG_NS);
        doc.appendChild(root);

        Element incident = child(root, "Incident");
        incident.setAttribute("purpose", "reporting");
        TlpMarking.mostRestrictive(bundle).ifPresent(t -> incident.setAttribute("restriction", restriction(t)));
        // RFC 7970 §3.2: the Incident children below appear in the order the schema's sequence fixes.
        Element iid = text(incident, "IncidentID", meta.id());
        iid.setAttribute("name", clean(meta.issuer()));
        text(incident, "GenerationTime", DateTimeFormatter.ISO_INSTANT.format(meta.created().truncatedTo(ChronoUnit.SECONDS)));
        text(incident, "Description", meta.title());
        Element contact = child(incident, "Contact");
        contact.setAttribute("type", "organization");
        contact.setAttribute("role", "creator");
        text(contact, "ContactName", meta.reporter().name());
        if (meta.reporter().email() != null && !meta.reporter().email().isBlank()) {
            text(child(contact, "Email"), "EmailTo", meta.reporter().email());
        }

        Map<Observable, String> observables = observables(bundle);
        if (!observables.isEmpty()) {
            Element data = child(incident, "IndicatorData");
            int n = 0;
            for (Map.Entry<Observable, String> e : observables.entrySet()) {
                Element indicator = child(data, "Indicator");
                Element id = text(indicator, "IndicatorID", meta.id() + "-" + (++n));
                id.setAttribute("name", clean(meta.issuer()));
                id.setAttribute("version", "1");
                if (!e.getValue().isBlank()) {
                    text(indicator, "Description", e.getValue());
                }
                observable(child(indicator, "Observable"), e.getKey());
            }
        }
        return serialise(doc);
    }

    /** Distinct observables with the name or description of the object they came from, in bundle order. */
    private static Map<Observable, String> observables(JsonNode bundle) {
        Map<Observable, String> out = new LinkedHashMap<>();
        for (JsonNode o : bundle.path("objects")) {
            List<Observable> found = new ArrayList<>();
            String type = o.path("type").asText();
            if (type.equals("indicator") && o.path("pattern_type").asText("stix").equals("stix")) {
                found.addAll(Indicators.fromPattern(o.path("pattern").asText("")));
            } else if (StixSchemas.isSco(type)) {
                found.addAll(StixObservables.of(o));
            }
            String about = o.path("description").asText(o.path("name").asText(""));
            found.forEach(f -> out.putIfAbsent(f, about));
        }
        return out;
    }

    private static void observable(Element obs, Observable o) {
        switch (o.type()) {
            case DOMAIN -> {
                Element dd = child(obs, "DomainData");
                // RFC 7970 §3.20: both status attributes are required; Parley does not know them.
                dd.setAttribute("system-status", "unknown");
                dd.setAttribute("domain-status", "unknown");
                text(dd, "Name", o.value());
            }
            case MD5, SHA1, SHA256 -> {
                Element hashData = child(child(child(obs, "FileData"), "File"), "HashData");
                hashData.setAttribute("scope", "file-contents");
                Element hash = child(hashData, "Hash");
                Element method = hash.getOwnerDocument().createElementNS(DSIG_NS, "ds:DigestMethod");
                method.setAttribute("Algorithm", DIGEST_URI.get(o.type()));
                hash.appendChild(method);
                Element value = hash.getOwnerDocument().createElementNS(DSIG_NS, "ds:DigestValue");
                value.setTextContent(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(o.value())));
                hash.appendChild(value);
            }
            default -> {
                Element address = text(obs, "Address", o.type() == ObservableType.ASN ? o.value().substring(2) : o.value());
                address.setAttribute("category", addressCategory(o));
            }
        }
    }

    /** RFC 7970 §3.19.1 Address categories. */
    private static String addressCategory(Observable o) {
        return switch (o.type()) {
            case IPV4 -> o.value().contains("/") ? "ipv4-net" : "ipv4-addr";
            case IPV6 -> o.value().contains("/") ? "ipv6-net" : "ipv6-addr";
            case EMAIL -> "e-mail";
            case URL -> "site-uri";
            case ASN -> "asn";
            default -> throw new IllegalArgumentException("not an address: " + o);
        };
    }

    /** RFC 7970 §3.3.1 restriction values for a TLP label. */
    static String restriction(Tlp tlp) {
        return switch (tlp) {
            case CLEAR -> "white";
            case GREEN -> "green";
            case AMBER -> "amber";
            case AMBER_STRICT -> "need-to-know";
            case RED -> "red";
        };
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElementNS(NS, name);
        parent.appendChild(e);
        return e;
    }

    private static Element text(Element parent, String name, String value) {
        Element e = child(parent, name);
        e.setTextContent(clean(value));
        return e;
    }

    /** Replaces characters XML 1.0 §2.2 does not allow (C0 controls other than tab/LF/CR, lone surrogates, FFFE/FFFF). */
    static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                    || (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
            if (!ok && sb == null) {
                sb = new StringBuilder(s.substring(0, i));
            }
            if (sb != null) {
                sb.append(ok ? c : '\uFFFD');
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser is misconfigured", e);
        }
    }

    private static String serialise(Document doc) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialise the IODEF document", e);
        }
    }
}
