package io.plugboard.credential;

/**
 * The credential's tenant is suspended. API tokens are refused for a suspended tenant; this catches the calls an
 * instance lets through while its cached copy of the tenant's API key does not know yet.
 */
public class TenantSuspendedException extends RuntimeException {

    public TenantSuspendedException() {
        super("The tenant is suspended.");
    }
}
