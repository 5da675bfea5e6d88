/**
 * The proxy: tenant backends (and the portal's API console) call provider APIs through Plugboard with a
 * credential id; Plugboard injects the auth, keeps tokens fresh, retries safely, streams both ways and
 * records every call.
 */
@NullMarked
package io.plugboard.proxy;

import org.jspecify.annotations.NullMarked;
