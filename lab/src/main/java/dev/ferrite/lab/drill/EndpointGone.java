package dev.ferrite.lab.drill;

/**
 * The {@code endpoint-gone} fault: every pod on the node that answers for the first Local
 * Service stops and leaves the EndpointSlices, as when the last local replica is evicted;
 * the election must move the IP to a node that still has a ready endpoint. Healed by
 * starting the pods again.
 */
final class EndpointGone implements FaultInjector {
    @Override
    public String service(LabSession lab) {
        return lab.firstLocalService().orElseThrow(() ->
                new IllegalStateException("endpoint-gone needs a Service with externalTrafficPolicy Local (--etp local or mix)"));
    }

    @Override
    public Injected inject(Target t) {
        long at = System.nanoTime();
        t.lab().stopPodsOn(t.owner());
        return Injected.at(at, () -> {
            long healAt = System.nanoTime();
            t.lab().startPodsOn(t.owner());
            return healAt;
        });
    }
}
