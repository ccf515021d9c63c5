package dev.ferrite.controller.metrics;

import dev.ferrite.api.http.HealthServer;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The controller's Prometheus metrics, in a registry of its own so that two controllers in
 * one JVM (tests, the lab) do not collide. The reconcile loop pushes values in; the HTTP
 * endpoint reads them out.
 */
public final class ControllerMetrics implements HealthServer.Metrics {

    /** Addresses of one pool: how many exist and how many Services hold. */
    public record PoolFigures(double total, double inUse) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge addressesTotal = Gauge.builder()
            .name("ferrite_allocator_addresses_total")
            .help("Addresses in the pool (IPv4 and IPv6 together).")
            .labelNames("pool")
            .register(registry);
    private final Gauge addressesInUse = Gauge.builder()
            .name("ferrite_allocator_addresses_in_use_total")
            .help("Addresses of the pool held by Services.")
            .labelNames("pool")
            .register(registry);
    private final Gauge servicesPending = Gauge.builder()
            .name("ferrite_services_pending")
            .help("LoadBalancer Services waiting for an address.")
            .register(registry);
    private final Gauge configValid = Gauge.builder()
            .name("ferrite_config_valid")
            .help("1 when the latest IPAddressPool/L2Advertisement configuration is valid, else 0.")
            .register(registry);
    private final Gauge configStale = Gauge.builder()
            .name("ferrite_config_stale")
            .help("1 when the configuration in force is not the latest one (the latest is invalid).")
            .register(registry);
    private final Set<String> knownPools = new HashSet<>();

    public synchronized void pools(Map<String, PoolFigures> figures) {
        for (String gone : knownPools) {
            if (!figures.containsKey(gone)) {
                addressesTotal.remove(gone);
                addressesInUse.remove(gone);
            }
        }
        knownPools.clear();
        figures.forEach((pool, f) -> {
            addressesTotal.labelValues(pool).set(f.total());
            addressesInUse.labelValues(pool).set(f.inUse());
            knownPools.add(pool);
        });
    }

    public void servicesPending(int count) {
        servicesPending.set(count);
    }

    public void config(boolean valid, boolean stale) {
        configValid.set(valid ? 1 : 0);
        configStale.set(stale ? 1 : 0);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
}
