package io.plugboard.tenant;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface PortalUserRepository extends JpaRepository<PortalUser, UUID> {

    Optional<PortalUser> findByEmail(String email);

    boolean existsByEmail(String email);

    /** Tenant users: always through the tenant, so another tenant's id never resolves. */
    Optional<PortalUser> findByIdAndTenantId(UUID id, UUID tenantId);

    Optional<PortalUser> findByIdAndTenantIdIsNull(UUID id);

    @Query("""
            select u from PortalUser u where u.tenantId = ?1
            and (?2 = '' or lower(u.email) like lower(concat('%', ?2, '%'))
                 or lower(u.displayName) like lower(concat('%', ?2, '%')))""")
    Page<PortalUser> findInTenant(UUID tenantId, String text, Pageable pageable);

    @Query("""
            select u from PortalUser u where u.tenantId is null
            and (?1 = '' or lower(u.email) like lower(concat('%', ?1, '%'))
                 or lower(u.displayName) like lower(concat('%', ?1, '%')))""")
    Page<PortalUser> findPlatformStaff(String text, Pageable pageable);

    long countByTenantId(UUID tenantId);

    long countByTenantIdIsNull();
}
