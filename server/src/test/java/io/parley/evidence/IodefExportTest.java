package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class IodefExportTest {
    private static final String NS = "urn:ietf:params:xml:ns:iodef-2.0";
    private static final IodefExport.CaseMetadata META = new IodefExport.CaseMetadata("case-42", "cert-a.example",
            "Phishing <wave> & \"friends\" 'n' \u0007bells", Instant.parse("2024-01-15T10:00:00.123Z"),
            new IodefExport.Contact("CERT-A duty desk", "duty@cert-a.example"));

    @Test
    void theDocumentIsIodefVersion2WithTheCaseMetadata() throws Exception {
        Document doc = parse(IodefExport.toXml(MispImport.convert(Resources.json("evidence/misp/event.json")).bundle(), META));
        Element root = doc.getDocumentElement();
        assertEquals(NS, root.getNamespaceURI());
        assertEquals("IODEF-Document", root.getLocalName());
        assertEquals("2.00", root.getAttribute("version"));
        assertEquals("en", root.getAttributeNS(XMLConstants.XML_NS_URI, "lang"));
        Element incident = only(root, "Incident");
        assertEquals("reporting", incident.getAttribute("purpose"));
        assertEquals("red", incident.getAttribute("restriction"), "the event carries one TLP:RED attribute");
        Element id = only(incident, "IncidentID");
        assertEquals("cert-a.example", id.getAttribute("name"));
        assertEquals("case-42", id.getTextContent());
        assertEquals("2024-01-15T10:00:00Z", only(incident, "GenerationTime").getTextContent());
        Element contact = only(incident, "Contact");
        assertEquals("creator", contact.getAttribute("role"));
        assertEquals("organization", contact.getAttribute("type"));
        assertEquals("CERT-A duty desk", only(contact, "ContactName").getTextContent());
        assertEquals("duty@cert-a.example", only(only(contact, "Email"), "EmailTo").getTextContent());
        List<String> order = new ArrayList<>();
        for (var n = incident.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                order.add(e.getLocalName());
            }
        }
        assertEquals(List.of("IncidentID", "GenerationTime", "Description", "Contact", "IndicatorData"), order,
                "RFC 7970 §3.2 sequence order");
    }

    @Test
    void textIsEscapedAndCharactersXmlCannotCarryAreReplaced() throws Exception {
        String xml = IodefExport.toXml(Resources.json("evidence/valid-base.json"), META);
        assertFalse(xml.contains("<wave>"));
        assertFalse(xml.contains("\u0007"));
        Document doc = parse(xml);
        assertEquals("Phishing <wave> & \"friends\" 'n' \uFFFDbells",
                only(only(doc.getDocumentElement(), "Incident"), "Description").getTextContent());
    }

    @Test
    void observablesBecomeAddressesDomainDataAndHashData() throws Exception {
        Document doc = parse(IodefExport.toXml(MispImport.convert(Resources.json("evidence/misp/event.json")).bundle(), META));
        List<String> addresses = new ArrayList<>();
        NodeList list = doc.getElementsByTagNameNS(NS, "Address");
        for (int i = 0; i < list.getLength(); i++) {
            Element a = (Element) list.item(i);
            addresses.add(a.getAttribute("category") + " " + a.getTextContent());
        }
        assertTrue(addresses.containsAll(List.of("ipv4-addr 203.0.113.7", "ipv6-addr 2001:db8::1",
                "site-uri https://login-mfa.example.net/owa/?a='1'&b=2", "e-mail duty@mfa-c.example", "asn 64496")),
                addresses::toString);
        List<String> domains = new ArrayList<>();
        NodeList dd = doc.getElementsByTagNameNS(NS, "DomainData");
        for (int i = 0; i < dd.getLength(); i++) {
            domains.add(only((Element) dd.item(i), "Name").getTextContent());
        }
        assertEquals(List.of("login-mfa.example.net", "mail.login-mfa.example.net", "cdn.login-mfa.example.net"), domains);
        NodeList values = doc.getElementsByTagNameNS(IodefExport.DSIG_NS, "DigestValue");
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < values.getLength(); i++) {
            Element v = (Element) values.item(i);
            Element method = (Element) ((Element) v.getParentNode())
                    .getElementsByTagNameNS(IodefExport.DSIG_NS, "DigestMethod").item(0);
            hashes.add(method.getAttribute("Algorithm") + " "
                    + HexFormat.of().formatHex(Base64.getDecoder().decode(v.getTextContent())));
        }
        assertTrue(hashes.contains("http://www.w3.org/2001/04/xmlenc#sha256 "
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), hashes::toString);
        assertTrue(hashes.contains("http://www.w3.org/2001/04/xmldsig-more#md5 d41d8cd98f00b204e9800998ecf8427e"));
        Element hashData = (Element) doc.getElementsByTagNameNS(NS, "HashData").item(0);
        assertEquals("file-contents", hashData.getAttribute("scope"));
        Element indicatorId = (Element) doc.getElementsByTagNameNS(NS, "IndicatorID").item(0);
        assertEquals("cert-a.example", indicatorId.getAttribute("name"));
        assertEquals("1", indicatorId.getAttribute("version"));
        assertEquals("case-42-1", indicatorId.getTextContent());
    }

    @Test
    void redactedExportsCarryTheRecipientsRestriction() throws Exception {
        ObjectNode bundle = MispImport.convert(Resources.json("evidence/misp/event.json")).bundle();
        Document doc = parse(IodefExport.toXml(TlpMarking.redact(bundle, Tlp.AMBER), META));
        assertEquals("amber", ((Element) doc.getElementsByTagNameNS(NS, "Incident").item(0)).getAttribute("restriction"));
        assertFalse(IodefExport.toXml(TlpMarking.redact(bundle, Tlp.AMBER), META).contains("47DEQpj8HBSa"),
                "the TLP:RED hash is not in the amber export");
        assertEquals("need-to-know", IodefExport.restriction(Tlp.AMBER_STRICT));
        assertEquals("white", IodefExport.restriction(Tlp.CLEAR));
    }

    @Test
    void aBundleWithoutObservablesHasNoIndicatorData() throws Exception {
        Document doc = parse(IodefExport.toXml(
                Resources.json("evidence/examples/malicious-email-indicator-with-attachment.json"), META));
        assertEquals(0, doc.getElementsByTagNameNS(NS, "IndicatorData").getLength());
        assertFalse(((Element) doc.getElementsByTagNameNS(NS, "Incident").item(0)).hasAttribute("restriction"));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element only(Element parent, String name) {
        NodeList l = parent.getElementsByTagNameNS(NS, name);
        List<Element> direct = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i).getParentNode() == parent) {
                direct.add((Element) l.item(i));
            }
        }
        assertEquals(1, direct.size(), () -> "expected one " + name);
        return direct.get(0);
    }
}
