package io.plugboard.tenant;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface TenantRepository extends JpaRepository<Tenant, UUID> {

    Optional<Tenant> findBySlug(String slug);

    Optional<Tenant> findByClientId(String clientId);

    boolean existsBySlug(String slug);

    @Query("select t from Tenant t where lower(t.name) like lower(concat('%', ?1, '%')) or t.slug like lower(concat('%', ?1, '%'))")
    Page<Tenant> search(String text, Pageable pageable);

    List<Tenant> findAllByOrderByNameAsc();

    long countByStatus(Tenant.Status status);

    /** Replaces the sealed client secret only if it is still the one read: a rotation since then wins. */
    @Modifying
    @Query(value = "UPDATE tenants SET client_secret = :sealed WHERE id = :id AND client_secret = :read",
            nativeQuery = true)
    int replaceClientSecret(@Param("id") UUID id, @Param("read") byte[] read, @Param("sealed") byte[] sealed);

    @Modifying
    @Query(value = "UPDATE tenants SET sso_break_glass_user_id = :user WHERE id = :id", nativeQuery = true)
    int setBreakGlassAdmin(@Param("id") UUID id, @Param("user") @Nullable UUID userId);

    @Query(value = "SELECT sso_break_glass_user_id FROM tenants WHERE id = :id AND sso_break_glass_user_id IS NOT NULL",
            nativeQuery = true)
    Optional<UUID> breakGlassAdmin(@Param("id") UUID id);
}
