package io.plugboard.webhook;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Narrows the delivery log to one endpoint and/or one status; nulls mean all. */
public record DeliveryFilter(@Nullable UUID endpointId, @Nullable DeliveryStatus status) {

    public static final DeliveryFilter ALL = new DeliveryFilter(null, null);
}
