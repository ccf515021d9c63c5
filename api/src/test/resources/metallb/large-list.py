# Prints a kubectl "get -o yaml" style List of N MetalLB IPAddressPools (default 20,000, about
# 12.5 MiB) and one L2Advertisement, for the import benchmark in docs/benchmarks.md.
import sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
out = ["apiVersion: v1", "items:"]
for i in range(n):
    a, b = divmod(i, 256)
    out.append(f"""- apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {{"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool","metadata":{{"annotations":{{}},"name":"pool-{i}","namespace":"metallb-system"}},"spec":{{"addresses":["10.{a % 256}.{b}.0/24"]}}}}
    creationTimestamp: "2026-11-30T10:00:00Z"
    generation: 1
    labels:
      site: dc-{i % 7}
    name: pool-{i}
    namespace: metallb-system
    resourceVersion: "{100000 + i}"
    uid: 6b0a2a4e-52e2-4a6b-9a53-{i:012d}
  spec:
    addresses:
    - 10.{a % 256}.{b}.0/24
    - fd00:{i:x}::/120
    autoAssign: true
    avoidBuggyIPs: false""")
out.append("""- apiVersion: metallb.io/v1beta1
  kind: L2Advertisement
  metadata:
    name: all
    namespace: metallb-system
  spec: {}""")
out.append("kind: List\nmetadata:\n  resourceVersion: \"\"")
print("\n".join(out))
