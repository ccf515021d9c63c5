package dev.ferrite.controller.allocation.k8s;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.AddressConflictInfo;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the addresses speakers found in use outside the cluster from their ServiceL2Status
 * objects: every {@code status.conflicts} entry of kind {@code InUse} (a probe before the first
 * announcement was answered by a MAC that is no node's). This is the one channel from speaker
 * to controller: the objects live in the API, so a restarted controller knows them at once,
 * and a speaker that finds the address free again removes the entry. An address reported by
 * several speakers is described by the oldest report.
 */
public final class AddressesInUse {

    private AddressesInUse() {
    }

    /** Address → "MAC answered node N's probe (how on interface) since T", for {@code Allocator.setInUse}. */
    public static Map<IpAddress, String> from(List<ServiceL2Status> statuses) {
        Map<IpAddress, AddressConflictInfo> oldest = new TreeMap<>();
        Map<IpAddress, String> node = new TreeMap<>();
        Comparator<AddressConflictInfo> bySince = Comparator.comparing(c -> String.valueOf(c.getSince()));
        for (ServiceL2Status s : statuses) {
            if (s.getStatus() == null || s.getStatus().getConflicts() == null) {
                continue;
            }
            for (AddressConflictInfo c : s.getStatus().getConflicts()) {
                if (!AddressConflictInfo.IN_USE.equals(c.getKind())) {
                    continue;
                }
                Optional<IpAddress> ip = IpAddress.parse(String.valueOf(c.getIp()));
                if (ip.isEmpty()) {
                    continue;
                }
                AddressConflictInfo before = oldest.get(ip.get());
                if (before == null || bySince.compare(c, before) < 0) {
                    oldest.put(ip.get(), c);
                    node.put(ip.get(), String.valueOf(s.getStatus().getNode()));
                }
            }
        }
        Map<IpAddress, String> out = new TreeMap<>();
        oldest.forEach((ip, c) -> out.put(ip, c.getMac() + " answered the probe of node " + node.get(ip) + " ("
                + c.getHow() + " on " + c.getInterfaceName() + ") at " + c.getSince()));
        return out;
    }
}
