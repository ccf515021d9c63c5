package dev.ferrite.api.migrate;

import java.io.IOException;
import java.io.Writer;

/**
 * The large input of the import benchmark: a {@code kind: List} as
 * {@code kubectl get ipaddresspools.metallb.io -A -o yaml} prints it, N IPAddressPools (each
 * with a label, the last-applied annotation, the API server's metadata and two address
 * ranges, one IPv4 /24 and one IPv6 /120, none overlapping) and one L2Advertisement selecting
 * them all. About 650 bytes per pool: 20,000 pools are 12.5 MiB.
 */
final class LargeMetallbList {

    private LargeMetallbList() {
    }

    static void write(int pools, Writer out) throws IOException {
        out.write("apiVersion: v1\nitems:\n");
        for (int i = 0; i < pools; i++) {
            int a = i / 256;
            int b = i % 256;
            String v4 = "10." + (a % 256) + "." + b + ".0/24";
            out.write("- apiVersion: metallb.io/v1beta1\n"
                    + "  kind: IPAddressPool\n"
                    + "  metadata:\n"
                    + "    annotations:\n"
                    + "      kubectl.kubernetes.io/last-applied-configuration: |\n"
                    + "        {\"apiVersion\":\"metallb.io/v1beta1\",\"kind\":\"IPAddressPool\",\"metadata\":{\"annotations\":{},"
                    + "\"name\":\"pool-" + i + "\",\"namespace\":\"metallb-system\"},\"spec\":{\"addresses\":[\"" + v4 + "\"]}}\n"
                    + "    creationTimestamp: \"2026-11-30T10:00:00Z\"\n"
                    + "    generation: 1\n"
                    + "    labels:\n"
                    + "      site: dc-" + (i % 7) + "\n"
                    + "    name: pool-" + i + "\n"
                    + "    namespace: metallb-system\n"
                    + "    resourceVersion: \"" + (100000 + i) + "\"\n"
                    + "    uid: 6b0a2a4e-52e2-4a6b-9a53-" + String.format("%012d", i) + "\n"
                    + "  spec:\n"
                    + "    addresses:\n"
                    + "    - " + v4 + "\n"
                    + "    - fd00:" + Integer.toHexString(i) + "::/120\n"
                    + "    autoAssign: true\n"
                    + "    avoidBuggyIPs: false\n");
        }
        out.write("- apiVersion: metallb.io/v1beta1\n"
                + "  kind: L2Advertisement\n"
                + "  metadata:\n"
                + "    name: all\n"
                + "    namespace: metallb-system\n"
                + "  spec: {}\n"
                + "kind: List\n"
                + "metadata:\n"
                + "  resourceVersion: \"\"\n");
    }
}
