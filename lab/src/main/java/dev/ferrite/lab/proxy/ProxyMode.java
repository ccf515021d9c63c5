package dev.ferrite.lab.proxy;

import dev.ferrite.lab.option.OptionName;
import java.util.Optional;

/**
 * Which kube-proxy mode a lab node imitates ({@code --proxy-mode}). {@code nftables}: the node
 * holds no Service IP; rules at prerouting catch traffic to it and DNAT it to an endpoint.
 * {@code ipvs}: every Service IP sits on {@code kube-ipvs0} with strict ARP, and only traffic
 * the node delivers locally (routing says the IP is its own) is DNATed, as IPVS does.
 */
public enum ProxyMode {
    NFTABLES, IPVS;

    public String cliName() {
        return OptionName.of(this);
    }

    public static Optional<ProxyMode> byName(String name) {
        return OptionName.parse(ProxyMode.class, name);
    }
}
