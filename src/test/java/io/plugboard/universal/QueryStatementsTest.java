package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values in SOQL statements: every caller's value is a literal with Salesforce's documented escapes
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_select_quotedstringescapes.htm),
 * and placeholders inside values are never filled.
 */
class QueryStatementsTest {

    private static final CrmMapping.Query.Literals SOQL = CrmMapping.Query.Literals.soql;

    @Test
    void textBecomesAQuotedLiteralWithItsEscapes() {
        assertThat(QueryStatements.clause(SOQL, "Email = {text}", "o'brien\\x\"y\n\r\t\b\f"))
                .isEqualTo("Email = 'o\\'brien\\\\x\\\"y\\n\\r\\t\\b\\f'");
        assertThat(QueryStatements.clause(SOQL, "Email = {text}", "a\u0001b")).isEqualTo("Email = 'a\\u0001b'");
        // Wildcards mean themselves outside LIKE, and are escaped inside it.
        assertThat(QueryStatements.clause(SOQL, "Email = {text}", "50%_off")).isEqualTo("Email = '50%_off'");
        assertThat(QueryStatements.clause(SOQL, "Name LIKE {contains}", "50%_off"))
                .isEqualTo("Name LIKE '%50\\%\\_off%'");
    }

    @Test
    void aValueIsNeverReadAsAPlaceholderOrAsQueryText() {
        assertThat(QueryStatements.clause(SOQL, "Email = {text} OR Name LIKE {contains}", "{contains}"))
                .isEqualTo("Email = '{contains}' OR Name LIKE '%{contains}%'");
        String clause = QueryStatements.clause(SOQL, "Email = {text}", "' OR Id != '");
        assertThat(QueryStatements.statement("SELECT Id FROM Contact{where} LIMIT {limit}", List.of(clause, "{limit}"), 5))
                .isEqualTo("SELECT Id FROM Contact WHERE Email = '\\' OR Id != \\'' AND {limit} LIMIT 5");
    }

    @Test
    void timestampsAreOnlyInstantsUnquoted() {
        assertThat(QueryStatements.clause(SOQL, "LastModifiedDate >= {timestamp}", "2026-01-31T00:00:00Z"))
                .isEqualTo("LastModifiedDate >= 2026-01-31T00:00:00Z");
        assertThatThrownBy(() -> QueryStatements.clause(SOQL, "LastModifiedDate >= {timestamp}", "2026 OR Id != null"))
                .isInstanceOf(UniversalException.class);
    }

    @Test
    void theQuerysOwnClausesComeFirstAndStandAlone() {
        var users = new CrmMapping.Query("q", "SELECT Id FROM User{where} ORDER BY Id LIMIT {limit}", SOQL,
                List.of("UserType = 'Standard'"));

        assertThat(QueryStatements.statement(users, List.of(), 25))
                .isEqualTo("SELECT Id FROM User WHERE UserType = 'Standard' ORDER BY Id LIMIT 25");
        assertThat(QueryStatements.statement(users, List.of("Id > '005D0000001AbCdIAK'"), 2))
                .isEqualTo("SELECT Id FROM User WHERE UserType = 'Standard' AND Id > '005D0000001AbCdIAK' ORDER BY Id LIMIT 2");
    }

    @Test
    void noClausesMeansNoWhere() {
        assertThat(QueryStatements.statement("SELECT Id FROM Contact{where} ORDER BY Id LIMIT {limit}", List.of(), 25))
                .isEqualTo("SELECT Id FROM Contact ORDER BY Id LIMIT 25");
    }
}
