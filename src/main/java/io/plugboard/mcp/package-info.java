/**
 * The Universal CRM API as Model Context Protocol tools at {@code /mcp} (streamable HTTP, stateless): the same
 * bearer JWTs and scoping as {@code /api/v1}, and every tool call made through the same {@code UniversalCrm}
 * service, so the call log and audit trail cannot tell an assistant's call from a backend's but by its actor.
 */
@NullMarked
package io.plugboard.mcp;

import org.jspecify.annotations.NullMarked;
