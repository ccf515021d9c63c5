package dev.ferrite.controller.allocation;

import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.Pool;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.net.IpRange;
import dev.ferrite.controller.allocation.ServiceRequest.FamilyPolicy;
import dev.ferrite.controller.allocation.ServiceRequest.Port;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Measures the allocator: N Services allocated from an IPv6 /64 pool and, separately, from
 * an IPv4 /8 pool; the heap each allocator holds afterwards (after a GC) shows that memory
 * follows the number of allocations, not the pool size. Then every second Service is
 * released and as many new ones allocated (they fill the holes, lowest first, so the run
 * map is at its most fragmented), and finally all are released. Prints one JSON object;
 * wall-clock seconds include garbage collection, thread CPU seconds are the allocating
 * thread alone (useful on a shared, loaded machine).
 *
 * <p>Run: {@code java -cp controller/target/classes:api/target/classes
 * dev.ferrite.controller.allocation.AllocatorBenchmark [allocations]}.
 */
public final class AllocatorBenchmark {

    private AllocatorBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        System.out.println(runJson(n));
    }

    public static String runJson(int allocations) {
        if (allocations < 2 || allocations > 16_000_000) {
            throw new IllegalArgumentException("allocations must be between 2 and 16000000 (an IPv4 /8)");
        }
        Pool v6 = new Pool("v6", Map.of(), List.of(range("2001:db8::", "2001:db8::ffff:ffff:ffff:ffff")),
                true, false, Optional.empty());
        Pool v4 = new Pool("v4", Map.of(), List.of(range("10.0.0.0", "10.255.255.255")),
                true, false, Optional.empty());

        // Warm the JIT on a throwaway allocator so the timed runs measure steady state.
        fill(new Allocator(Config.of(Map.of("v6", v6), List.of())), "warm", Math.min(allocations, 200_000), IpFamily.IPv6);

        long baseline = heapAfterGc();
        Allocator six = new Allocator(Config.of(Map.of("v6", v6), List.of()));
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        long g0 = gcMillis();
        fill(six, "svc", allocations, IpFamily.IPv6);
        double allocateSeconds = seconds(t0);
        double allocateGcSeconds = (gcMillis() - g0) / 1e3;
        double allocateCpuSeconds = (cpuNanos() - c0) / 1e9;
        long heapV6 = heapAfterGc() - baseline;

        // Fragment: free every second Service, then allocate as many new ones into the holes.
        long t1 = System.nanoTime();
        for (int i = 0; i < allocations; i += 2) {
            six.release(key("svc", i));
        }
        fill(six, "refill", allocations / 2 + allocations % 2, IpFamily.IPv6);
        double churnSeconds = seconds(t1);
        int churnOps = allocations + allocations % 2;

        long t2 = System.nanoTime();
        long c2 = cpuNanos();
        for (int i = 1; i < allocations; i += 2) {
            six.release(key("svc", i));
        }
        for (int i = 0; i < allocations / 2 + allocations % 2; i++) {
            six.release(key("refill", i));
        }
        double releaseSeconds = seconds(t2);
        double releaseCpuSeconds = (cpuNanos() - c2) / 1e9;
        if (six.size() != 0 || six.usage("v6").assignedV6() != 0) {
            throw new IllegalStateException("benchmark left allocations behind");
        }
        six = null;

        baseline = heapAfterGc();
        Allocator four = new Allocator(Config.of(Map.of("v4", v4), List.of()));
        long t3 = System.nanoTime();
        fill(four, "svc", allocations, IpFamily.IPv4);
        double allocateV4Seconds = seconds(t3);
        long heapV4 = heapAfterGc() - baseline;
        if (four.size() != allocations) {
            throw new IllegalStateException("benchmark lost allocations");
        }

        return String.format(Locale.ROOT, "{\"allocations\":%d,"
                        + "\"pool_v6\":\"2001:db8::/64\",\"pool_v4\":\"10.0.0.0/8\","
                        + "\"allocate_v6_seconds\":%.3f,\"allocations_per_s\":%.0f,"
                        + "\"allocate_v6_thread_cpu_seconds\":%.3f,\"allocate_v6_gc_seconds\":%.3f,"
                        + "\"allocate_v4_seconds\":%.3f,"
                        + "\"heap_bytes_v6\":%d,\"heap_bytes_v4\":%d,"
                        + "\"heap_bytes_per_allocation_v6\":%.1f,\"heap_bytes_per_allocation_v4\":%.1f,"
                        + "\"churn_operations\":%d,\"churn_seconds\":%.3f,"
                        + "\"release_seconds\":%.3f,\"releases_per_s\":%.0f,"
                        + "\"release_thread_cpu_seconds\":%.3f}",
                allocations, allocateSeconds, allocations / allocateSeconds, allocateCpuSeconds, allocateGcSeconds, allocateV4Seconds,
                heapV6, heapV4, (double) heapV6 / allocations, (double) heapV4 / allocations,
                churnOps, churnSeconds, releaseSeconds, allocations / releaseSeconds, releaseCpuSeconds);
    }

    private static void fill(Allocator allocator, String prefix, int count, IpFamily family) {
        Set<Port> ports = Set.of(new Port("TCP", 80));
        List<IpFamily> families = List.of(family);
        for (int i = 0; i < count; i++) {
            ServiceRequest r = new ServiceRequest(key(prefix, i), "bench", Map.of(), Map.of(), List.of(),
                    Optional.empty(), Optional.empty(), Optional.empty(), ports, families, FamilyPolicy.SINGLE_STACK);
            if (!(allocator.assign(r) instanceof AllocationResult.Allocated)) {
                throw new IllegalStateException("allocation " + i + " failed");
            }
        }
    }

    private static String key(String prefix, int i) {
        return "bench/" + prefix + "-" + i;
    }

    private static IpRange range(String first, String last) {
        return new IpRange(IpAddress.parse(first).orElseThrow(), IpAddress.parse(last).orElseThrow());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** CPU time of this thread: what the allocator itself costs, without GC threads or other load. */
    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Time all collectors have spent so far (pauses and, for concurrent ones, cycles). */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
