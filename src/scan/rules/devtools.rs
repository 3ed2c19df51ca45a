//! Developer tooling and infrastructure tokens: GitLab's other tokens,
//! Atlassian and Bitbucket, HashiCorp Vault and Terraform Cloud, Doppler,
//! 1Password, Pulumi, Sourcegraph, Snyk, CI services and package
//! registries. Observability and project tools are in [`super::observe`];
//! the file-bound formats (Kubernetes secrets, curl, Bundler, NuGet) are in
//! [`super::devconfig`].

use super::parts::{decode_b64, end, end_b64, mixed, named, plausible, uuid};
use super::{Check, Rule};

/// A generated token body: no placeholder shape.
pub(super) fn body(token: &str) -> bool {
    plausible(token)
}

/// A generated alphanumeric key mixing character classes.
pub(super) fn random(token: &str) -> bool {
    plausible(token) && mixed(token)
}

/// Decodes the base64 JSON object that follows `prefix` in `token` (up to
/// `stop`, when given) and tells whether it has every key of `keys`.
pub(super) fn b64_json_has(token: &str, prefix: &str, stop: Option<char>, keys: &[&str]) -> bool {
    let Some(rest) = token.strip_prefix(prefix) else {
        return false;
    };
    let rest = stop.map_or(rest, |c| rest.split(c).next().unwrap_or(rest));
    decode_b64(rest)
        .and_then(|d| serde_json::from_slice::<serde_json::Value>(&d).ok())
        .is_some_and(|v| v.is_object() && keys.iter().all(|k| v.get(k).is_some()))
}

/// Vault batch tokens start with a fixed header (`hvb.AAAAAQ`); the rest
/// is generated.
fn vault_batch(token: &str) -> bool {
    token.get(10..).is_some_and(random)
}

/// 1Password service-account tokens: `ops_` and base64 JSON describing
/// the account.
fn onepassword(token: &str) -> bool {
    b64_json_has(token, "ops_", None, &["signInAddress"])
}

/// Macro for GitLab's token families: the legacy form `$legacy` after the
/// prefix, or the routable form (`<random>.<2><7>` since GitLab 17).
macro_rules! gitlab {
    ($prefix:literal, $legacy:literal) => {
        concat!(
            r"(?-u)\b(?P<secret>",
            $prefix,
            "(?:",
            $legacy,
            r"|[A-Za-z0-9_-]{27,300}\.[0-9a-z]{9}))",
            end!()
        )
    };
}

/// One GitLab token rule.
macro_rules! gitlab_rule {
    ($id:literal, $what:literal, $help:literal, $prefix:literal, $legacy:literal) => {
        Rule {
            id: $id,
            description: $what,
            help: $help,
            keywords: &[$prefix],
            case_sensitive: true,
            pattern: gitlab!($prefix, $legacy),
            check: Check::Verify(body),
        }
    };
}

/// Developer tooling formats.
pub static RULES: &[Rule] = &[
    gitlab_rule!(
        "gitlab-deploy-token",
        "GitLab deploy token",
        "A GitLab deploy token (gldt-): it clones the repository and reads or writes its packages and container images. Revoke it in the project's or group's Settings > Repository > Deploy tokens.",
        "gldt-",
        "[A-Za-z0-9_-]{20}"
    ),
    gitlab_rule!(
        "gitlab-runner-authentication-token",
        "GitLab runner authentication token",
        "A GitLab runner authentication token (glrt-): it registers as the runner and picks up its CI jobs, with their variables and secrets. Delete the runner in Settings > CI/CD > Runners (or with the runners API) and register a new one.",
        "glrt-",
        "[A-Za-z0-9_-]{20}"
    ),
    gitlab_rule!(
        "gitlab-cicd-job-token",
        "GitLab CI/CD job token",
        "A GitLab CI/CD job token (glcbt-): it acts as the job's user on the projects the job token allowlist permits until the job ends. Cancel the job to revoke it and check the project's audit events.",
        "glcbt-",
        "[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}"
    ),
    gitlab_rule!(
        "gitlab-ptt",
        "GitLab pipeline trigger token",
        "A GitLab pipeline trigger token (glptt-): it runs the project's pipelines, with their secrets, as the token's owner. Revoke it in Settings > CI/CD > Pipeline trigger tokens.",
        "glptt-",
        "[0-9a-f]{40}"
    ),
    gitlab_rule!(
        "gitlab-scim-token",
        "GitLab SCIM token",
        "A GitLab SCIM token (glsoat-): it provisions and deprovisions the group's users. Reset it in the group's Settings > SAML SSO.",
        "glsoat-",
        "[A-Za-z0-9_-]{20}"
    ),
    gitlab_rule!(
        "gitlab-oauth-app-secret",
        "GitLab OAuth application secret",
        "A GitLab OAuth application secret (gloas-): with the application id it obtains tokens as the application. Renew the secret under the application's settings (User, Group or Admin > Applications).",
        "gloas-",
        "[A-Za-z0-9_-]{64}"
    ),
    gitlab_rule!(
        "gitlab-incoming-mail-token",
        "GitLab incoming mail token",
        "A GitLab incoming e-mail token (glimt-): it creates issues and merge requests by e-mail as its user. Reset it from the project's issue list (Email a new issue > Reset this token).",
        "glimt-",
        "[A-Za-z0-9_-]{25}"
    ),
    gitlab_rule!(
        "gitlab-feature-flag-client-token",
        "GitLab feature flag client token",
        "A GitLab feature flag client token (glffct-): it reads the project's feature flags and user lists. Reset the instance id under Deployments > Feature flags > Configure.",
        "glffct-",
        "[A-Za-z0-9_-]{20}"
    ),
    gitlab_rule!(
        "gitlab-feed-token",
        "GitLab feed token",
        "A GitLab feed token (glft-): it reads the user's RSS/Atom feeds and calendars, which can include private issues. Reset it under User settings > Access tokens > Feed token.",
        "glft-",
        "[A-Za-z0-9_-]{20}"
    ),
    gitlab_rule!(
        "gitlab-kubernetes-agent-token",
        "GitLab agent for Kubernetes token",
        "A GitLab agent for Kubernetes token (glagent-): it connects as the agent and reaches the projects and clusters it is configured for. Revoke it under Operate > Kubernetes clusters > the agent > Access tokens.",
        "glagent-",
        "[A-Za-z0-9_-]{50}"
    ),
    Rule {
        id: "gitlab-rrt",
        description: "GitLab runner registration token",
        help: "A legacy GitLab runner registration token (GR1348941): it registers new runners that then receive the project's or group's CI jobs and their secrets. Reset it in Settings > CI/CD > Runners and move to runner authentication tokens.",
        keywords: &["GR1348941"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>GR1348941[A-Za-z0-9_-]{20})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "bitbucket-app-password",
        description: "Bitbucket app password",
        help: "A Bitbucket Cloud app password (ATBB): it reads and writes repositories, pull requests and pipelines as its user, within its permissions. Revoke it in Personal settings > App passwords.",
        keywords: &["ATBB"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>ATBB[A-Za-z0-9_=.-]{28,40})", end!()),
        check: Check::Verify(random),
    },
    Rule {
        id: "atlassian-api-token",
        description: "Atlassian API token",
        help: "An Atlassian API token (ATATT3 user token, ATCTT3 access token): it calls Jira, Confluence and Bitbucket as its user. Revoke it at id.atlassian.com under Security > API tokens (or in the access token's settings).",
        keywords: &["ATATT3", "ATCTT3"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>AT[AC]TT3[A-Za-z0-9_=-]{150,250})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "vault-service-token",
        description: "HashiCorp Vault service token",
        help: "A HashiCorp Vault service token (hvs.): it reads and writes the secrets its policies allow until it expires. Revoke it with `vault token revoke` (or revoke its accessor), and rotate what it could read.",
        keywords: &["hvs."],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>hvs\.[A-Za-z0-9_-]{24,300})", end!()),
        check: Check::Verify(random),
    },
    Rule {
        id: "vault-batch-token",
        description: "HashiCorp Vault batch token",
        help: "A HashiCorp Vault batch token (hvb.): it reads and writes the secrets its policies allow until it expires (batch tokens cannot be revoked one by one). Revoke its parent token or lease, or shorten the auth method's TTL, and rotate what it could read.",
        keywords: &["hvb."],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>hvb\.[A-Za-z0-9_-]{100,400})", end!()),
        check: Check::Verify(vault_batch),
    },
    Rule {
        id: "vault-recovery-token",
        description: "HashiCorp Vault recovery token",
        help: "A HashiCorp Vault recovery token (hvr.): it operates a Vault in recovery mode with full access to its storage. Revoke it with `vault token revoke` in recovery mode and rotate the recovery keys.",
        keywords: &["hvr."],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>hvr\.[A-Za-z0-9_-]{24,300})", end!()),
        check: Check::Verify(random),
    },
    Rule {
        id: "hashicorp-tf-api-token",
        description: "Terraform Cloud / HCP Terraform API token",
        help: "A Terraform Cloud (HCP Terraform) or Terraform Enterprise API token (.atlasv1.): it plans and applies runs, reads state (with its secrets) and changes workspaces as its user, team or organisation. Revoke it in User, Team or Organization settings > API tokens.",
        keywords: &[".atlasv1."],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "doppler-api-token",
        description: "Doppler token",
        help: "A Doppler token (dp.pt. personal, dp.st. service, dp.sa. service account, dp.ct. CLI, dp.scim. SCIM, dp.audit. audit): it reads, and for most kinds writes, the secrets of its projects and configs. Revoke it in the Doppler dashboard (Tokens, or the config's Access tab) or with `doppler configs tokens revoke`.",
        keywords: &[
            "dp.pt.",
            "dp.st.",
            "dp.sa.",
            "dp.ct.",
            "dp.scim.",
            "dp.audit.",
        ],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>dp\.(?:pt|st|sa|ct|scim|audit)\.(?:[a-z0-9_-]{1,40}\.)?[A-Za-z0-9]{40,44})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "1password-service-account-token",
        description: "1Password service account token",
        help: "A 1Password service account token (ops_): it reads, and if allowed writes, the items of the vaults the service account can access. Revoke it on 1Password.com under Developer > Directory > the service account, and rotate the items it could read.",
        keywords: &["ops_eyJ"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>ops_eyJ[A-Za-z0-9+/]{100,}={0,3})",
            end_b64!()
        ),
        check: Check::Verify(onepassword),
    },
    Rule {
        id: "1password-secret-key",
        description: "1Password account Secret Key",
        help: "A 1Password account Secret Key (A3-...): with the account password it unlocks every vault of the account. Regenerate it in the 1Password app or on 1Password.com under My Profile > Secret Key, and change the account password.",
        keywords: &["A3-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b",
        check: Check::Verify(body),
    },
    Rule {
        id: "pulumi-api-token",
        description: "Pulumi access token",
        help: "A Pulumi Cloud access token (pul-): it reads and updates the stacks, state and secrets config of its user, team or organisation. Delete it in Pulumi Cloud under Settings > Access tokens.",
        keywords: &["pul-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>pul-[0-9a-f]{40})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "sourcegraph-access-token",
        description: "Sourcegraph access token",
        help: "A Sourcegraph access token (sgp_): it searches and reads every repository its user can see on the instance. Delete it under User settings > Access tokens.",
        keywords: &["sgp_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>sgp_(?:[0-9a-f]{16}|local)_[0-9a-f]{40}|sgp_[0-9a-f]{40})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "snyk-api-token",
        description: "Snyk API token",
        help: "A Snyk API token (a UUID named for Snyk): it reads the projects and vulnerabilities of its user's organisations and can change their settings. Revoke and regenerate it under Account settings > Auth token (or the service account's settings).",
        keywords: &["snyk"],
        case_sensitive: false,
        pattern: concat!("(?-u)", named!("snyk"), "(?P<secret>", uuid!(), ")", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "circleci-api-token",
        description: "CircleCI API token",
        help: "A CircleCI personal (CCIPAT_) or project (CCIPRJ_) API token: it triggers pipelines, reads their output and manages environment variables. Delete it under User settings > Personal API Tokens or the project's Settings > API Permissions.",
        keywords: &["CCIPAT_", "CCIPRJ_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[0-9a-f]{40})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "buildkite-api-token",
        description: "Buildkite API access token",
        help: "A Buildkite user API access token (bkua_): it manages pipelines and builds, and reads their logs and artifacts, in the organisations and scopes it was given. Revoke it under Personal settings > API Access Tokens.",
        keywords: &["bkua_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>bkua_[0-9a-f]{40})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "docker-hub-pat",
        description: "Docker Hub access token",
        help: "A Docker Hub personal (dckr_pat_) or organization (dckr_oat_) access token: it pushes and pulls images as its user or organisation. Delete it on Docker Hub under Account settings > Personal access tokens (or the organisation's Access tokens).",
        keywords: &["dckr_pat_", "dckr_oat_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "artifactory-api-key",
        description: "JFrog Artifactory API key",
        help: "A JFrog Artifactory API key (AKCp): it reads and deploys artifacts as its user. Revoke it in the JFrog Platform under Edit Profile > API Key, and move to access tokens.",
        keywords: &["AKCp"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>AKCp[A-Za-z0-9]{69})\b",
        check: Check::Verify(random),
    },
    Rule {
        id: "artifactory-reference-token",
        description: "JFrog reference token",
        help: "A JFrog Platform reference token (cmVmd...): it reads and deploys artifacts with the scopes of its access token. Revoke it in the JFrog Platform under Administration > User Management > Access Tokens (or Edit Profile).",
        keywords: &["cmVmd"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>cmVmd[A-Za-z0-9]{59})\b",
        check: Check::Verify(random),
    },
    Rule {
        id: "nuget-api-key",
        description: "NuGet API key",
        help: "A nuget.org API key (oy2): it pushes and unlists packages within its glob and scopes. Delete or regenerate it on nuget.org under API Keys.",
        keywords: &["oy2"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>oy2[a-z0-9]{43})\b",
        check: Check::Verify(body),
    },
    Rule {
        id: "rubygems-api-token",
        description: "RubyGems API key",
        help: "A RubyGems.org API key (rubygems_): it pushes and yanks gems within its scopes. Delete it on rubygems.org under Settings > API keys.",
        keywords: &["rubygems_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>rubygems_[0-9a-f]{48})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "clojars-api-token",
        description: "Clojars deploy token",
        help: "A Clojars deploy token (CLOJARS_): it deploys artifacts to the groups its user owns. Disable it on clojars.org under Deploy tokens.",
        keywords: &["CLOJARS_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>CLOJARS_[a-z0-9]{60})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "postman-api-token",
        description: "Postman API key",
        help: "A Postman API key (PMAK-): it reads and changes the workspaces, collections and environments (often holding more secrets) of its user. Revoke it in Postman under Settings > API keys.",
        keywords: &["PMAK-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>PMAK-[0-9a-f]{24}-[0-9a-f]{34})", end!()),
        check: Check::Verify(body),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn onepassword_account_json() {
        let ops = format!(
            "ops_{}",
            STANDARD.encode(r#"{"signInAddress":"my.1password.com","email":"q7r2@1passwordserviceaccounts.com"}"#)
        );
        assert!(onepassword(&ops));
        assert!(!onepassword("ops_eyJmb28iOiJiYXIifQ=="));
    }

    #[test]
    fn vault_batch_skips_its_header() {
        assert!(vault_batch(
            "hvb.AAAAAQJq8rL2vX9mTwK4cN7pYbH3jD5fGsR1aUe6TiO0"
        ));
        assert!(!vault_batch("hvb.AAAAAQxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(!vault_batch("hvb.AAAA"));
    }
}
