package dev.ferrite.lab.drill;

import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.report.AddressInUseCheck;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code rogue} fault: the control-plane host takes the first Service's IP on its own
 * interface for the plan's hold, so its kernel answers ARP for it; the owner must report the
 * foreign claim (a ForeignClaim Warning Event on the Service) and keep the IP. Heals itself.
 *
 * <p>Then the second half: the client host (a second host that is not a node) takes the lowest
 * free pool address, and a new Service is created. The controller gives it that address (it
 * cannot know), the elected speaker's probe is answered by the client's kernel, the speaker
 * does not announce it and reports it, and the controller moves the Service to another
 * address and lists the taken one in the pool's status. A second Service created after that
 * must not be given it ({@link AddressInUseCheck}). Both Services are deleted and the address
 * removed at the end.
 */
final class RogueClaim implements FaultInjector {
    static final Duration REPORT_BOUND = Duration.ofSeconds(10);

    @Override
    public Injected inject(Target t) throws InterruptedException {
        LabSession lab = t.lab();
        Host rogue = lab.topology().controlPlane();
        String ip = lab.ipOf(t.service());
        long before = foreignClaimEvents(lab, t.service());
        long at = System.nanoTime();
        Optional<Long> reported = Optional.empty();
        Command.of(lab.network().ip().path(), "-n", rogue.namespace(), "addr", "add", ip + "/32", "dev", Topology.UPLINK).runOrThrow();
        try {
            long deadline = at + REPORT_BOUND.toNanos();
            while (System.nanoTime() < deadline) {
                if (foreignClaimEvents(lab, t.service()) > before) {
                    reported = Optional.of(Math.round((System.nanoTime() - at) / 1e6));
                    break;
                }
                Thread.sleep(20);
            }
            Thread.sleep(t.plan().partitionHold().toMillis());
        } finally {
            Command.of(lab.network().ip().path(), "-n", rogue.namespace(), "addr", "del", ip + "/32", "dev", Topology.UPLINK).run();
        }
        long healed = System.nanoTime();
        Optional<AddressInUseCheck> inUse = Optional.of(usedAddress(lab));
        return new Injected(at, healed, List.of(), Step.NOTHING, Step.NOTHING, reported, Optional.empty(), inUse);
    }

    static final String NEW_SERVICE = "rogue-new";
    static final String LATER_SERVICE = "rogue-later";
    /** Bound for each wait of the second half: the probe (250 ms) and two controller round trips fit many times. */
    static final Duration MOVE_BOUND = Duration.ofSeconds(15);

    /** The lowest IPv4 pool address no Service of the lab holds. */
    static String lowestFree(Collection<String> held) {
        for (int i = 0; i < Topology.VIP_COUNT; i++) {
            String ip = Topology.vip(IpFamily.IPv4, i).toString();
            if (!held.contains(ip)) {
                return ip;
            }
        }
        throw new IllegalStateException("no free IPv4 address left in the lab pool");
    }

    private static AddressInUseCheck usedAddress(LabSession lab) throws InterruptedException {
        Host other = lab.topology().client();
        String taken = lowestFree(lab.serviceIps().values());
        String ipPath = lab.network().ip().path();
        Command.of(ipPath, "-n", other.namespace(), "addr", "add", taken + "/32", "dev", Topology.UPLINK).runOrThrow();
        try {
            long created = System.nanoTime();
            createService(lab, NEW_SERVICE);
            Optional<String> first = Optional.empty();
            Optional<String> moved = Optional.empty();
            Optional<Long> movedMillis = Optional.empty();
            long deadline = created + MOVE_BOUND.toNanos();
            while (System.nanoTime() < deadline && moved.isEmpty()) {
                Optional<String> now = ingress(lab, NEW_SERVICE);
                if (first.isEmpty()) {
                    first = now;
                }
                if (now.isPresent() && !now.get().equals(taken)) {
                    moved = now;
                    movedMillis = Optional.of(Math.round((System.nanoTime() - created) / 1e6));
                }
                Thread.sleep(20);
            }
            boolean listed = false;
            deadline = System.nanoTime() + MOVE_BOUND.toNanos();
            while (System.nanoTime() < deadline && !(listed = poolLists(lab, taken))) {
                Thread.sleep(50);
            }
            createService(lab, LATER_SERVICE);
            Optional<String> later = Optional.empty();
            deadline = System.nanoTime() + MOVE_BOUND.toNanos();
            while (System.nanoTime() < deadline && later.isEmpty()) {
                later = ingress(lab, LATER_SERVICE);
                Thread.sleep(20);
            }
            return new AddressInUseCheck(taken, first, moved, movedMillis, listed, later);
        } finally {
            for (String name : List.of(NEW_SERVICE, LATER_SERVICE)) {
                try {
                    lab.client().services().inNamespace(LabObjects.SERVICE_NAMESPACE).withName(name).delete();
                } catch (RuntimeException e) {
                    // the lab's own cleanup removes labelled objects
                }
            }
            Command.of(ipPath, "-n", other.namespace(), "addr", "del", taken + "/32", "dev", Topology.UPLINK).run();
        }
    }

    private static void createService(LabSession lab, String name) {
        Service s = new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(LabObjects.SERVICE_NAMESPACE)
                .addToLabels(LabObjects.OWNED_LABEL, "true").endMetadata()
                .withNewSpec().withType("LoadBalancer").withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack")
                .addToSelector("app", name)
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
                .endSpec().build();
        lab.client().services().resource(s).createOr(x -> x.update());
    }

    private static Optional<String> ingress(LabSession lab, String name) {
        try {
            return LabObjects.firstIngress(lab.client().services().inNamespace(LabObjects.SERVICE_NAMESPACE).withName(name).get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean poolLists(LabSession lab, String ip) {
        try {
            IPAddressPool p = lab.client().resources(IPAddressPool.class).inNamespace(LabObjects.FERRITE_NAMESPACE)
                    .withName(LabObjects.POOL).get();
            return p != null && p.getStatus() != null && p.getStatus().getAddressesInUse() != null
                    && p.getStatus().getAddressesInUse().stream().anyMatch(a -> ip.equals(a.getIp()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Warning Events with reason ForeignClaim on {@code service}. */
    private static long foreignClaimEvents(LabSession lab, String service) {
        try {
            return lab.client().v1().events().inAnyNamespace().list().getItems().stream()
                    .filter(e -> "ForeignClaim".equals(e.getReason()) && e.getInvolvedObject() != null
                            && service.equals(e.getInvolvedObject().getName()))
                    .count();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
