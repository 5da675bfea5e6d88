package io.plugboard.brand;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TenantBrandRepository extends JpaRepository<TenantBrand, UUID> {

    Optional<TenantBrand> findByLogoId(UUID logoId);
}
