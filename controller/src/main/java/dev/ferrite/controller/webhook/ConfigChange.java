package dev.ferrite.controller.webhook;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;

/** What an admission request would do to the configuration, if allowed. */
public sealed interface ConfigChange {

    /** CREATE or UPDATE of a pool: {@code pool} is the object as it would be stored. */
    record PutPool(IPAddressPool pool) implements ConfigChange {
    }

    /** CREATE or UPDATE of an advertisement. */
    record PutAdvertisement(L2Advertisement advertisement) implements ConfigChange {
    }

    /** DELETE of a pool. */
    record DeletePool(String namespace, String name) implements ConfigChange {
    }

    /**
     * A request that cannot make the configuration invalid: deleting an advertisement, a
     * status write, a kind the webhook does not judge. {@code why} goes to the log.
     */
    record NoConfigEffect(String why) implements ConfigChange {
    }
}
