package dev.ferrite.controller.webhook;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.util.List;

/**
 * The pools and advertisements stored in the cluster right now, as the webhook sees them
 * when it judges a change. Called once per admission request, on a network thread, so an
 * implementation must answer from memory (an informer's cache), never call the API server.
 */
public interface CurrentConfigObjects {

    List<IPAddressPool> pools();

    List<L2Advertisement> advertisements();

    /** The objects in two informer caches, e.g. {@code informer.getStore()} of each kind. */
    static CurrentConfigObjects of(Store<IPAddressPool> pools, Store<L2Advertisement> advertisements) {
        return new CurrentConfigObjects() {
            @Override
            public List<IPAddressPool> pools() {
                return pools.list();
            }

            @Override
            public List<L2Advertisement> advertisements() {
                return advertisements.list();
            }
        };
    }
}
