package io.plugboard.webhook;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Deliveries newest first; {@code more} says whether older ones follow, so a last page never asks for one more. */
public record DeliveryPage(List<Delivery> items, boolean more) {

    /** The page's oldest delivery, where the next page starts; null when there is no next page. */
    public @Nullable Long nextBeforeId() {
        return more ? items.getLast().id() : null;
    }
}
