//! Observability and project tools: Grafana, Sentry, New Relic, Datadog,
//! Dynatrace, Linear, Notion, Airtable, Figma, SonarQube, ngrok.

use super::devtools::{b64_json_has, body, random};
use super::parts::{end, end_b64, named};
use super::{Check, Rule};

/// Grafana Cloud tokens: `glc_` and the base64 of `{"o":..,"n":..,"k":..}`.
fn grafana_cloud(token: &str) -> bool {
    b64_json_has(token, "glc_", None, &["k"])
}

/// Legacy Grafana API keys: the base64 of `{"k":..,"n":..,"id":..}`.
fn grafana_key(token: &str) -> bool {
    b64_json_has(token, "", None, &["k", "n"])
}

/// Sentry organization tokens: `sntrys_`, base64 JSON with `iat` and
/// `org`, `_`, the secret.
fn sentry_org(token: &str) -> bool {
    b64_json_has(token, "sntrys_", Some('_'), &["iat", "org"])
}

/// Observability and project-tool formats (after [`super::devtools::RULES`],
/// in this order).
pub static RULES: &[Rule] = &[
    Rule {
        id: "grafana-cloud-api-token",
        description: "Grafana Cloud access policy token",
        help: "A Grafana Cloud access policy or API token (glc_): it reads and writes the stack's metrics, logs and traces, or manages the organisation, per its scopes. Delete it in the Grafana Cloud portal under Security > Access Policies.",
        keywords: &["glc_eyJ"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>glc_eyJ[A-Za-z0-9+/]{29,400}={0,3})",
            end_b64!()
        ),
        check: Check::Verify(grafana_cloud),
    },
    Rule {
        id: "grafana-service-account-token",
        description: "Grafana service account token",
        help: "A Grafana service account token (glsa_): it calls the Grafana HTTP API with the service account's role. Delete it in Grafana under Administration > Service accounts > the account > Tokens.",
        keywords: &["glsa_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>glsa_[A-Za-z0-9]{32}_[0-9a-fA-F]{8})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "grafana-api-key",
        description: "Grafana API key (legacy)",
        help: "A legacy Grafana API key (eyJrIjoi...): it calls the Grafana HTTP API with its role. Delete it in Grafana under Administration > API keys (or migrate it to a service account and delete that token).",
        keywords: &["eyJrIjoi"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>eyJrIjoi[A-Za-z0-9]{70,400}={0,3})",
            end_b64!()
        ),
        check: Check::Verify(grafana_key),
    },
    Rule {
        id: "sentry-user-token",
        description: "Sentry user auth token",
        help: "A Sentry user auth token (sntryu_): it calls the Sentry API as its user within its scopes. Revoke it in Sentry under User settings > Personal Tokens.",
        keywords: &["sntryu_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>sntryu_[0-9a-f]{64})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "sentry-org-token",
        description: "Sentry organization auth token",
        help: "A Sentry organization auth token (sntrys_): it uploads releases and source maps for the organisation and reads some of its data. Revoke it in Sentry under Settings > Developer Settings > Organization Tokens.",
        keywords: &["sntrys_eyJ"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>sntrys_eyJ[A-Za-z0-9+/]{20,600}={0,2}_[A-Za-z0-9+/]{43})",
            end_b64!()
        ),
        check: Check::Verify(sentry_org),
    },
    Rule {
        id: "new-relic-user-api-key",
        description: "New Relic user API key",
        help: "A New Relic user API key (NRAK-): it queries and configures the accounts its user can reach through NerdGraph. Delete it in New Relic under API keys.",
        keywords: &["NRAK-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>NRAK-[A-Z0-9]{27})\b",
        check: Check::Verify(random),
    },
    Rule {
        id: "new-relic-browser-api-token",
        description: "New Relic browser ingest key",
        help: "A New Relic browser ingest key (NRJS-): it sends browser monitoring data to the account. Delete it in New Relic under API keys and redeploy the browser agent with a new key.",
        keywords: &["NRJS-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>NRJS-[0-9a-f]{19})\b",
        check: Check::Verify(body),
    },
    Rule {
        id: "new-relic-insert-key",
        description: "New Relic insert key",
        help: "A New Relic Insights insert key (NRII-): it writes events into the account. Delete it in New Relic under API keys (Insights insert keys).",
        keywords: &["NRII-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>NRII-[A-Za-z0-9_-]{32})", end!()),
        check: Check::Verify(random),
    },
    Rule {
        id: "new-relic-license-key",
        description: "New Relic license (ingest) key",
        help: "A New Relic license key (40 characters ending in NRAL): it sends APM, infrastructure and log data to the account. Delete it in New Relic under API keys (Ingest - License) after deploying a new one.",
        keywords: &["NRAL"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>[0-9a-f]{36}NRAL)\b",
        check: Check::Verify(body),
    },
    Rule {
        id: "datadog-api-key",
        description: "Datadog API key",
        help: "A Datadog API key (32 hex digits, named for Datadog or DD_API_KEY): it submits metrics, logs and events to the organisation. Revoke it in Datadog under Organization Settings > API Keys.",
        keywords: &["datadog", "dd_api", "dd-api", "dd.api"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("datadog|dd[_.-]api"),
            r"(?P<secret>[0-9a-f]{32})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "datadog-app-key",
        description: "Datadog application key",
        help: "A Datadog application key (40 hex digits, named for Datadog or DD_APP_KEY): with an API key it reads and changes the organisation's dashboards, monitors and data as its user. Revoke it in Datadog under Organization Settings > Application Keys.",
        keywords: &["datadog", "dd_app", "dd-app", "dd.app"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("datadog|dd[_.-]app"),
            r"(?P<secret>[0-9a-f]{40})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "dynatrace-api-token",
        description: "Dynatrace API token",
        help: "A Dynatrace access token (dt0c01. API token, dt0s0x. platform token): it reads and writes the environment's monitoring data and settings per its scopes. Revoke it in Dynatrace under Access tokens (or Account Management > Platform tokens).",
        keywords: &["dt0c01.", "dt0s0"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>dt0(?:c01|s0[1-9])\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b",
        check: Check::Verify(body),
    },
    Rule {
        id: "linear-api-key",
        description: "Linear API key",
        help: "A Linear personal API key (lin_api_) or OAuth token (lin_oauth_): it reads and changes the workspace's issues and projects as its user. Revoke it in Linear under Settings > Security & access > Personal API keys (or the OAuth application).",
        keywords: &["lin_api_", "lin_oauth_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>lin_api_[A-Za-z0-9]{40}|lin_oauth_[0-9a-f]{64})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "notion-api-token",
        description: "Notion integration token",
        help: "A Notion internal integration token (ntn_): it reads and edits the pages and databases shared with the integration. Refresh (regenerate) it under Settings > Connections > Develop or manage integrations.",
        keywords: &["ntn_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>ntn_[0-9]{11}[A-Za-z0-9]{35})", end!()),
        check: Check::Verify(random),
    },
    Rule {
        id: "notion-integration-secret",
        description: "Notion integration secret (legacy)",
        help: "A legacy Notion integration secret (secret_, named for Notion): it reads and edits the pages and databases shared with the integration. Refresh it under Settings > Connections > Develop or manage integrations.",
        keywords: &["notion"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("notion"),
            r"(?P<secret>secret_[A-Za-z0-9]{43})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "airtable-personal-access-token",
        description: "Airtable personal access token",
        help: "An Airtable personal access token (pat...<64 hex>): it reads and writes the bases it was granted, as its user. Delete it on airtable.com under Builder hub > Personal access tokens.",
        keywords: &["airtable"],
        case_sensitive: false,
        pattern: r"(?-u)\b(?P<secret>pat[A-Za-z0-9]{14}\.[0-9a-f]{64})\b",
        check: Check::Verify(body),
    },
    Rule {
        id: "figma-pat",
        description: "Figma personal access token",
        help: "A Figma personal access token (figd_): it reads, and with write scopes changes, the files its user can open. Revoke it in Figma under Settings > Security > Personal access tokens.",
        keywords: &["figd_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>figd_[A-Za-z0-9_-]{38,44})", end!()),
        check: Check::Verify(random),
    },
    Rule {
        id: "sonar-api-token",
        description: "SonarQube / SonarCloud token",
        help: "A SonarQube or SonarCloud token (squ_ user, sqp_ project analysis, sqa_ global analysis): it runs analyses and reads project results, and a user token acts as its user. Revoke it under My Account > Security.",
        keywords: &["squ_", "sqp_", "sqa_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>sq[uap]_[0-9a-f]{40})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "ngrok-authtoken",
        description: "ngrok authtoken or API key",
        help: "An ngrok authtoken or API key (named for ngrok): it starts tunnels, or manages endpoints and domains, on the account. Delete it in the ngrok dashboard under Authtokens or API Keys.",
        keywords: &["ngrok"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("ngrok"),
            r"(?P<secret>[0-9A-Za-z]{20,30}_[0-9A-Za-z]{17,25})",
            end!()
        ),
        check: Check::Verify(random),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn decoded_structures() {
        let glc = format!(
            "glc_{}",
            STANDARD.encode(r#"{"o":"972341","n":"stack-q7r2-deploy","k":"Zx8Lq2Vt0Nm4Kc9WpYs7Bh3D","m":{"r":"prod-eu-west-2"}}"#)
        );
        assert!(grafana_cloud(&glc));
        assert!(!grafana_cloud("glc_eyJub3QiOiJpdCJ9"));
        let key = STANDARD.encode(r#"{"k":"Zx8Lq2Vt0Nm4Kc9WpYs7Bh3DfGj","n":"deploy","id":1}"#);
        assert!(grafana_key(&key));
        let org = format!(
            "sntrys_{}_{}",
            STANDARD
                .encode(r#"{"iat":1712345678.9,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"qz-labs"}"#)
                .trim_end_matches('='),
            "Zx8Lq2Vt0Nm4Kc9WpYs7Bh3DfGjR6aUe1TiO5rYq2Lk"
        );
        assert!(sentry_org(&org));
    }
}
