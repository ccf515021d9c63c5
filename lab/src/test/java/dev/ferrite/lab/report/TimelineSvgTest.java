package dev.ferrite.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TimelineSvgTest {

    /** 200 ms answered by node-1, 300 ms failed, then answered by node-2, probes every 5 ms. */
    static Timeline failover(String title) {
        List<Timeline.Sample> samples = new ArrayList<>();
        for (int t = -200; t < 800; t += 5) {
            if (t < 0) {
                samples.add(TimelineSvg.sample(t, true, "node-1"));
            } else if (t < 300) {
                samples.add(TimelineSvg.sample(t, false, null));
            } else {
                samples.add(TimelineSvg.sample(t, true, "node-2"));
            }
        }
        return new Timeline(title, List.of(new Timeline.Lane("default/web-0", "198.18.0.200", samples)));
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> byClass(Document d, String tag, String cls) {
        NodeList all = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (cls.equals(e.getAttribute("class"))) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void isWellFormedSvgWithOnePanelPerFault() throws Exception {
        Document d = parse(TimelineSvg.render("ferrite lab drill", List.of(failover("crash"), failover("link-down"))));
        assertEquals("svg", d.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
        assertEquals(2, byClass(d, "g", "panel").size());
        assertEquals(2, byClass(d, "line", "fault").size(), "a fault marker per panel");
    }

    @Test
    void mergesProbesIntoBarsColouredByAnsweringNodeAndRedForFailures() throws Exception {
        Document d = parse(TimelineSvg.render("t", List.of(failover("crash"))));
        List<Element> ok = byClass(d, "rect", "ok");
        List<Element> failed = byClass(d, "rect", "failed");
        assertEquals(2, ok.size(), "one bar before, one after");
        assertEquals(1, failed.size());
        assertEquals(TimelineSvg.FAILED, failed.get(0).getAttribute("fill"));
        Set<String> okColours = new HashSet<>();
        ok.forEach(e -> okColours.add(e.getAttribute("fill")));
        assertEquals(2, okColours.size(), "old and new owner in different colours");
        assertTrue(!okColours.contains(TimelineSvg.FAILED));
    }

    @Test
    void faultMarkerSitsAtZeroOnTheMillisecondAxis() throws Exception {
        Document d = parse(TimelineSvg.render("t", List.of(failover("crash"))));
        Element marker = byClass(d, "line", "fault").get(0);
        List<Element> ticks = byClass(d, "text", "tick");
        Element zero = ticks.stream().filter(e -> e.getTextContent().equals("0")).findFirst().orElseThrow();
        assertEquals(Double.parseDouble(marker.getAttribute("x1")), Double.parseDouble(zero.getAttribute("x")), 0.01);
        assertTrue(ticks.stream().anyMatch(e -> e.getTextContent().equals("-200")));
    }

    @Test
    void escapesServiceNamesThatLookLikeMarkup() throws Exception {
        List<Timeline.Sample> s = List.of(TimelineSvg.sample(0, true, "n<1>"));
        Document d = parse(TimelineSvg.render("a & b", List.of(new Timeline("x", List.of(new Timeline.Lane("ns/<web>", "198.18.0.200", s))))));
        assertEquals("a & b", d.getElementsByTagName("title").item(0).getTextContent());
    }

    @Test
    void tickStepsFollowOneTwoFive() {
        assertEquals(100, TimelineSvg.tickStep(800));
        assertEquals(200, TimelineSvg.tickStep(1000));
        assertEquals(500, TimelineSvg.tickStep(3000));
    }
}
