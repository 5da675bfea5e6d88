package io.plugboard.api;

import io.plugboard.common.NotFoundException;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Any {@code /api/} path no endpoint claims answers a 404 problem instead of falling through to the
 * portal's page handler.
 */
@RestController
@Hidden
class UnknownApiPath {

    @RequestMapping("/api/**")
    void unknown() {
        throw new NotFoundException("API endpoint");
    }
}
