/**
 * The lab's kube-proxy stand-in: a process per node that watches Services and EndpointSlices
 * and writes kube-proxy nftables-mode rules for LoadBalancer IPs ({@code ProxyRules}, pure).
 */
package dev.ferrite.lab.proxy;
