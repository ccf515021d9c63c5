package dev.ferrite.speaker.arp.pcap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gratuitous ARP frames and unsolicited Neighbor Advertisements seen on one port of
 * {@link AnnouncerNetwork}'s bridge, with the time the kernel captured each: tcpdump in the
 * client's namespace, read line by line. Only the unsolicited forms count (an ARP request
 * "who-has X tell X", a broadcast ARP reply "X is-at MAC", a Neighbor Advertisement to all
 * nodes); the announcer's probes ("tell 0.0.0.0", DAD) and answers to clients do not. Keeps
 * at most {@value #MAX_FRAMES} frames.
 */
final class GratuitousCapture implements AutoCloseable {

    static final int MAX_FRAMES = 100_000;
    private static final Pattern REQUEST = Pattern.compile(
            "^(\\d+\\.\\d+) ([0-9a-f:]{17}) > ff:ff:ff:ff:ff:ff, .*Request who-has ([0-9.]+) tell ([0-9.]+),");
    private static final Pattern REPLY = Pattern.compile(
            "^(\\d+\\.\\d+) ([0-9a-f:]{17}) > ff:ff:ff:ff:ff:ff, .*Reply ([0-9.]+) is-at ([0-9a-f:]{17}),");
    private static final Pattern ADVERTISEMENT = Pattern.compile(
            "^(\\d+\\.\\d+) ([0-9a-f:]{17}) > 33:33:00:00:00:01, .*neighbor advertisement, tgt is ([0-9a-f:]+),");

    /** Which unsolicited frame. */
    enum Form { ARP_REQUEST, ARP_REPLY, NEIGHBOR_ADVERTISEMENT }

    /** One unsolicited frame: capture time in seconds since the epoch, sender MAC, the IP it claims, its form. */
    record Frame(double at, String mac, String ip, Form form) {
        boolean request() {
            return form == Form.ARP_REQUEST;
        }
    }

    private final Process tcpdump;
    private final List<Frame> frames = new ArrayList<>();
    private final CountDownLatch listening = new CountDownLatch(1);

    private GratuitousCapture(Process tcpdump) {
        this.tcpdump = tcpdump;
    }

    /** Starts capturing on {@code port} in {@code namespace}; returns once tcpdump listens (at most 10 s). */
    static GratuitousCapture start(String namespace, String port) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "tcpdump", "-l", "-n", "-e", "-tt", "-p",
                "-B", "8192", "-i", port, "arp or icmp6").start();
        GratuitousCapture c = new GratuitousCapture(p);
        Thread out = new Thread(c::readFrames, "garp-capture-" + port);
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(c::readStatus, "garp-capture-status-" + port);
        err.setDaemon(true);
        err.start();
        if (!c.listening.await(10, TimeUnit.SECONDS)) {
            c.close();
            throw new AssertionError("tcpdump did not start listening on " + port + " in " + namespace);
        }
        return c;
    }

    static java.util.Optional<Frame> parse(String line) {
        Matcher m = REQUEST.matcher(line);
        if (m.find() && m.group(3).equals(m.group(4))) {
            return java.util.Optional.of(new Frame(Double.parseDouble(m.group(1)), m.group(2), m.group(3), Form.ARP_REQUEST));
        }
        m = REPLY.matcher(line);
        if (m.find() && m.group(2).equals(m.group(4))) {
            return java.util.Optional.of(new Frame(Double.parseDouble(m.group(1)), m.group(2), m.group(3), Form.ARP_REPLY));
        }
        m = ADVERTISEMENT.matcher(line);
        if (m.find()) {
            return java.util.Optional.of(new Frame(Double.parseDouble(m.group(1)), m.group(2), m.group(3),
                    Form.NEIGHBOR_ADVERTISEMENT));
        }
        return java.util.Optional.empty();
    }

    private void readFrames() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                parse(line).ifPresent(f -> {
                    synchronized (frames) {
                        if (frames.size() < MAX_FRAMES) {
                            frames.add(f);
                        }
                    }
                });
            }
        } catch (IOException e) {
            // the capture was stopped
        }
    }

    private void readStatus() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(tcpdump.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.contains("listening on")) {
                    listening.countDown();
                }
            }
        } catch (IOException e) {
            // the capture was stopped
        }
    }

    /** The gratuitous frames captured so far. */
    List<Frame> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    @Override
    public void close() {
        tcpdump.destroy();
        try {
            if (!tcpdump.waitFor(3, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
