//! Hosting platforms and managed services: DigitalOcean, Cloudflare,
//! Heroku, Fly.io, Vercel, Netlify, Render, Scaleway, Supabase,
//! PlanetScale, Databricks, Linode, IBM Cloud, Vultr, Hetzner, OpenShift,
//! Backblaze. Prefixed formats match bare; UUIDs and plain hex or
//! alphanumeric keys only next to a name that says whose key it is.

use super::cloud::{body, random};
use super::parts::{end, end_b64, jwt_payload, named, plausible, uuid};
use super::{Check, Rule};

/// A Supabase service-role JWT (anon keys are public), other than the
/// published local-development key (`iss` `supabase-demo`).
fn supabase_service_role(token: &str) -> bool {
    jwt_payload(token).is_some_and(|p| {
        p["role"] == "service_role" && p["iss"] != "supabase-demo" && plausible(token)
    })
}

/// Hosting formats (after [`super::cloud::RULES`], in this order).
pub static RULES: &[Rule] = &[
    Rule {
        id: "digitalocean-pat",
        description: "DigitalOcean personal access token",
        help: "A DigitalOcean personal access token (dop_v1_): it manages the team's droplets, databases and DNS per its scopes. Delete it in the control panel under API > Tokens.",
        keywords: &["dop_v1_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>dop_v1_[0-9a-f]{64})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "digitalocean-access-token",
        description: "DigitalOcean OAuth access token",
        help: "A DigitalOcean OAuth access token (doo_v1_): it acts for the user who authorised the application. Revoke it with the OAuth revoke endpoint, or the user removes the application under Settings > Applications.",
        keywords: &["doo_v1_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>doo_v1_[0-9a-f]{64})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "digitalocean-refresh-token",
        description: "DigitalOcean OAuth refresh token",
        help: "A DigitalOcean OAuth refresh token (dor_v1_): it mints new access tokens for the user who authorised the application. Revoke it with the OAuth revoke endpoint or remove the application under Settings > Applications.",
        keywords: &["dor_v1_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>dor_v1_[0-9a-f]{64})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "cloudflare-origin-ca-key",
        description: "Cloudflare Origin CA key",
        help: "A Cloudflare Origin CA key (v1.0-...): it issues and revokes origin certificates for the account's zones. Revoke it in the dashboard under My Profile > API Tokens > Origin CA Key (View, then Change).",
        keywords: &["v1.0-"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>v1\.0-[0-9a-f]{24}-[0-9a-f]{146})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "cloudflare-api-key",
        description: "Cloudflare API token",
        help: "A Cloudflare API token (40 characters, named for Cloudflare): it acts on the zones and accounts of its permissions. Roll or delete it in the dashboard under My Profile > API Tokens (or the account's API Tokens).",
        keywords: &["cloudflare", "cf_api", "cf-api", "cf.api"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("cloudflare|cf[_.-]api"),
            r"(?P<secret>[A-Za-z0-9_-]{40})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "cloudflare-global-api-key",
        description: "Cloudflare global API key",
        help: "A Cloudflare global API key (37 hex digits, named for Cloudflare): with the account e-mail it has full control of every zone of the user. Change it in the dashboard under My Profile > API Tokens > Global API Key, and move to scoped API tokens.",
        keywords: &["cloudflare", "cf_api", "cf-api", "cf.api"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("cloudflare|cf[_.-]api"),
            r"(?P<secret>[0-9a-f]{37})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "heroku-api-key-v2",
        description: "Heroku API key",
        help: "A Heroku API key or OAuth token (HRKU-): it deploys to and configures every app its user can reach. Revoke it with `heroku authorizations:revoke` or in Account settings > Applications > Authorizations.",
        keywords: &["HRKU-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>HRKU-[A-Za-z0-9_-]{60})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "heroku-api-key",
        description: "Heroku API key (legacy UUID)",
        help: "A legacy Heroku API key (a UUID named for Heroku): it deploys to and configures every app its user can reach. Regenerate it in Account settings > API Key, or revoke the authorization with `heroku authorizations:revoke`.",
        keywords: &["heroku"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("heroku"),
            "(?P<secret>",
            uuid!(),
            ")",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "flyio-access-token",
        description: "Fly.io access token",
        help: "A Fly.io access token (fo1_ user token, or FlyV1 fm1/fm2 macaroon for an organisation, app or deploy): it deploys and manages apps within its scope. Revoke it with `fly tokens revoke` or in the dashboard under Tokens.",
        keywords: &["fo1_", "fm1a_", "fm1r_", "fm2_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,}={0,3}|fm2_[A-Za-z0-9+/]{100,}={0,3})",
            end_b64!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "vercel-api-token",
        description: "Vercel access token",
        help: "A Vercel access token (named for Vercel): it deploys and configures the projects of its user or team, including their environment variables. Delete it in Account settings > Tokens.",
        keywords: &["vercel"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("vercel"),
            r"(?P<secret>[A-Za-z0-9]{24}|vc[a-z]_[A-Za-z0-9_-]{24,100})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "netlify-personal-access-token",
        description: "Netlify personal access token",
        help: "A Netlify personal access token (nfp_): it deploys and configures every site its user can reach. Delete it in User settings > Applications > Personal access tokens.",
        keywords: &["nfp_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>nfp_[A-Za-z0-9]{36})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "render-api-key",
        description: "Render API key",
        help: "A Render API key (rnd_): it manages every service of the workspaces its user belongs to. Revoke it in the Render dashboard under Account settings > API Keys.",
        keywords: &["rnd_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>rnd_[A-Za-z0-9]{32})", end!()),
        check: Check::Verify(random),
    },
    Rule {
        id: "scaleway-access-key",
        description: "Scaleway access key",
        help: "A Scaleway API access key (SCW...): with its secret key it calls the APIs as its user or application. Delete the API key in the console under IAM > API keys.",
        keywords: &["SCW"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>SCW[0-9A-Z]{17})\b",
        check: Check::Verify(scaleway_access),
    },
    Rule {
        id: "scaleway-secret-key",
        description: "Scaleway secret key",
        help: "A Scaleway API secret key (a UUID named for Scaleway, as SCW_SECRET_KEY): it calls the APIs as its user or application. Delete the API key in the console under IAM > API keys.",
        keywords: &["scaleway", "scw_secret", "scw-secret", "scw.secret"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("scaleway|scw"),
            "(?P<secret>",
            uuid!(),
            ")",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "supabase-access-token",
        description: "Supabase personal access token",
        help: "A Supabase personal access token (sbp_): it manages every project of its user through the Management API and CLI. Revoke it in the dashboard under Account > Access Tokens.",
        keywords: &["sbp_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>sbp_[0-9a-f]{40})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "supabase-secret-key",
        description: "Supabase secret API key",
        help: "A Supabase secret API key (sb_secret_): it bypasses row-level security with full access to the project's data. Delete it in the dashboard under Project settings > API Keys (publishable sb_publishable_ keys are public).",
        keywords: &["sb_secret_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>sb_secret_[A-Za-z0-9_-]{28,64})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "supabase-service-role-key",
        description: "Supabase service_role JWT",
        help: "A Supabase service_role key (a JWT with role service_role): it bypasses row-level security with full access to the project's data. Rotate the project's JWT secret in the dashboard under Project settings > API (this also invalidates the anon key), or move to the new secret API keys.",
        keywords: &["supabase", "service_role", "eyJpc3MiOiJzdXBhYmFzZSI"],
        case_sensitive: false,
        pattern: r"(?-u)\b(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,})",
        check: Check::Verify(supabase_service_role),
    },
    Rule {
        id: "planetscale-api-token",
        description: "PlanetScale service token",
        help: "A PlanetScale service token (pscale_tkn_): it manages the databases and branches its access grants allow. Delete it in the organisation's settings under Service tokens, or with `pscale service-token delete`.",
        keywords: &["pscale_tkn_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>pscale_tkn_[A-Za-z0-9_=.-]{32,64})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "planetscale-password",
        description: "PlanetScale database password",
        help: "A PlanetScale database branch password (pscale_pw_): it connects to the branch with its role (read, write or admin). Delete it in the database's Settings > Passwords, or with `pscale password delete`.",
        keywords: &["pscale_pw_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>pscale_pw_[A-Za-z0-9_=.-]{32,64})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "planetscale-oauth-token",
        description: "PlanetScale OAuth token",
        help: "A PlanetScale OAuth token (pscale_oauth_): it acts for the user who authorised the application. The user revokes the application in their PlanetScale settings under OAuth applications.",
        keywords: &["pscale_oauth_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>pscale_oauth_[A-Za-z0-9_=.-]{32,64})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "databricks-api-token",
        description: "Databricks personal access token",
        help: "A Databricks personal access token (dapi): it calls the workspace's REST APIs and clusters as its user. Revoke it in the workspace under Settings > Developer > Access tokens, or with `databricks tokens delete`.",
        keywords: &["dapi"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>dapi[0-9a-f]{32}(?:-[0-9])?)", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "linode-api-token",
        description: "Linode (Akamai) personal access token",
        help: "A Linode (Akamai Cloud) personal access token (64 hex digits, named for Linode): it manages the account's Linodes, volumes and DNS per its scopes. Revoke it in Cloud Manager under My Profile > API Tokens.",
        keywords: &["linode"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("linode"),
            r"(?P<secret>[0-9a-f]{64})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "ibm-cloud-api-key",
        description: "IBM Cloud API key",
        help: "An IBM Cloud API key (44 characters, named for IBM Cloud): it obtains IAM tokens as its user or service ID. Delete it under Manage > Access (IAM) > API keys, or with `ibmcloud iam api-key-delete`.",
        keywords: &[
            "ibmcloud",
            "ibm_cloud",
            "ibm-cloud",
            "ibm_api",
            "ibm-api",
            "bluemix",
        ],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!(r"ibm[_.-]?cloud|ibm[_.-]?api|bluemix"),
            r"(?P<secret>[A-Za-z0-9_-]{44})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "vultr-api-key",
        description: "Vultr API key",
        help: "A Vultr API key (36 upper-case characters, named for Vultr): it manages every instance and resource of the account. Regenerate it in the customer portal under Account > API.",
        keywords: &["vultr"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("vultr"),
            r"(?P<secret>[A-Z0-9]{36})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "hetzner-api-token",
        description: "Hetzner Cloud API token",
        help: "A Hetzner Cloud API token (64 characters, named for Hetzner or hcloud): it manages the servers, volumes and networks of its project. Delete it in the Cloud Console under the project's Security > API tokens.",
        keywords: &["hetzner", "hcloud"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("hetzner|hcloud"),
            r"(?P<secret>[A-Za-z0-9]{64})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "openshift-user-token",
        description: "OpenShift user token",
        help: "An OpenShift OAuth access token (sha256~): it calls the cluster's API as its user. Delete it with `oc delete oauthaccesstoken <name>` (list them with `oc get useroauthaccesstokens`) or log out the session.",
        keywords: &["sha256~"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>sha256~[A-Za-z0-9_-]{43})", end!()),
        check: Check::Verify(random),
    },
    Rule {
        id: "backblaze-application-key",
        description: "Backblaze B2 application key",
        help: "A Backblaze B2 application key (K0..., named for Backblaze or B2): with its key id it reads and writes the buckets it was given. Delete it in the Backblaze web console under App Keys, or with `b2 key delete`.",
        keywords: &["backblaze", "b2_app", "b2-app", "b2.app"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!(r"backblaze|b2[_.-]app"),
            r"(?P<secret>K0[0-9]{2}[A-Za-z0-9+/]{27})",
            end_b64!()
        ),
        check: Check::Verify(random),
    },
];

/// A Scaleway access key: 17 upper-case letters and digits, mixing both.
fn scaleway_access(key: &str) -> bool {
    let rest = &key[3..];
    plausible(rest)
        && rest.bytes().any(|c| c.is_ascii_digit())
        && rest.bytes().any(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    #[test]
    fn service_role_jwt() {
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let jwt = |payload: &str| {
            format!(
                "{}.{}.{}",
                enc(r#"{"alg":"HS256","typ":"JWT"}"#),
                enc(payload),
                "Qm8xT3pLcVd2Y2Z5SGpSbk1zVGQ"
            )
        };
        assert!(supabase_service_role(&jwt(
            r#"{"iss":"supabase","ref":"qzrtkxmvbnwplsdfghja","role":"service_role","iat":1710000000}"#
        )));
        assert!(!supabase_service_role(&jwt(
            r#"{"iss":"supabase","ref":"qzrtkxmvbnwplsdfghja","role":"anon","iat":1710000000}"#
        )));
        assert!(!supabase_service_role(&jwt(
            r#"{"iss":"supabase-demo","role":"service_role","exp":1983812996}"#
        )));
    }

    #[test]
    fn scaleway_access_keys() {
        assert!(scaleway_access("SCWQ7R2M4K8X1ZP3N6B9"));
        assert!(!scaleway_access("SCWXXXXXXXXXXXXXXXXX"));
    }
}
