package dev.ferrite.lab.report;

import java.util.Optional;

/**
 * The second half of the {@code rogue} fault: a host of the lab that is not a node took
 * {@code address}, the lowest free pool address, before a new Service was created.
 *
 * @param address      the pool address the other host uses
 * @param firstGiven   what the new Service was given first (the controller cannot know yet)
 * @param movedTo      where it ended after the speaker's probe found the address taken; empty if it never moved
 * @param movedMillis  Service creation to the new address
 * @param listedByPool whether the pool's status.addressesInUse listed the address
 * @param laterService what a second Service created after the detection was given
 */
public record AddressInUseCheck(String address, Optional<String> firstGiven, Optional<String> movedTo,
        Optional<Long> movedMillis, boolean listedByPool, Optional<String> laterService) {

    /** The address was handed out again after a probe had found it in use. */
    public boolean givenAfterFound() {
        return movedTo.filter(address::equals).isPresent() || laterService.filter(address::equals).isPresent();
    }

    /** Everything as it should be: moved off, listed, never given again, the later Service served. */
    public boolean held() {
        return movedTo.isPresent() && listedByPool && laterService.isPresent() && !givenAfterFound();
    }
}
