package dev.ferrite.speaker.k8s;

import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.ConfigError;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the configuration in force. Every change of pools or advertisements is validated as a
 * whole with the shared parser; an invalid configuration is logged once per distinct set of
 * errors and the last valid one stays in force, so a typo never withdraws a working Service.
 */
public final class ConfigTracker {

    private static final Logger log = LoggerFactory.getLogger(ConfigTracker.class);

    private final BiFunction<List<IPAddressPool>, List<L2Advertisement>, ConfigResult> parser;
    private volatile Config current = Config.EMPTY;
    private volatile List<ConfigError> currentErrors = List.of();

    public ConfigTracker(BiFunction<List<IPAddressPool>, List<L2Advertisement>, ConfigResult> parser) {
        this.parser = parser;
    }

    /** Validates the objects; returns true when the config in force changed. */
    public synchronized boolean update(List<IPAddressPool> pools, List<L2Advertisement> advertisements) {
        ConfigResult result = parser.apply(pools, advertisements);
        if (result instanceof ConfigResult.Valid valid) {
            if (!currentErrors.isEmpty()) {
                log.info("configuration is valid again: {} pools, {} advertisements",
                        valid.config().pools().size(), valid.config().advertisements().size());
            }
            currentErrors = List.of();
            boolean changed = !valid.config().equals(current);
            current = valid.config();
            return changed;
        }
        List<ConfigError> errors = ((ConfigResult.Invalid) result).errors();
        if (!errors.equals(currentErrors)) {
            currentErrors = errors;
            log.warn("configuration is invalid, keeping the last valid one in force: {}",
                    String.join("; ", errors.stream().map(ConfigError::message).toList()));
        }
        return false;
    }

    public Config current() {
        return current;
    }

    /** Errors of the latest configuration seen; empty when it is valid. */
    public List<ConfigError> errors() {
        return currentErrors;
    }
}
