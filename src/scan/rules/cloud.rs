//! Cloud and hosting providers: AWS Bedrock, Google Cloud, Azure, Alibaba,
//! Tencent, DigitalOcean, Cloudflare, Heroku, Fly.io, Vercel, Netlify,
//! Render, Scaleway, Supabase, PlanetScale, Databricks, Linode, IBM,
//! Vultr, Hetzner, OpenShift, Backblaze. Prefixed formats match bare;
//! UUIDs and plain hex or alphanumeric keys only next to a name that says
//! whose key it is.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::parts::{
    decode_b64, documented, end, end_b64, jwt_payload, mixed, named, plausible, uuid,
};
use super::{Check, Rule};

/// A generated token body: no placeholder shape.
fn body(token: &str) -> bool {
    plausible(token)
}

/// A generated alphanumeric key mixing character classes.
fn random(token: &str) -> bool {
    plausible(token) && mixed(token)
}

/// An Azure storage or shared access key: random, and not the published
/// Azurite / Storage Emulator key.
fn azure_key(key: &str) -> bool {
    !documented(key) && plausible(key) && mixed(key)
}

/// AWS Bedrock API keys: a long-term key is `ABSK` and the base64 of
/// `BedrockAPIKey-<id>:<secret>`; a short-term key is `bedrock-api-key-`
/// and the base64 of a presigned `bedrock.amazonaws.com` URL.
fn bedrock(token: &str) -> bool {
    if let Some(rest) = token.strip_prefix("ABSK") {
        return decode_b64(rest)
            .is_some_and(|d| d.starts_with(b"BedrockAPIKey-") && d.contains(&b':'));
    }
    token
        .strip_prefix("bedrock-api-key-")
        .and_then(decode_b64)
        .is_some_and(|d| {
            d.starts_with(b"bedrock.amazonaws.com") && d.windows(6).any(|w| w == b"X-Amz-")
        })
}

/// The key of a service-account JSON: a PEM body, not a placeholder.
fn pem_in_json(key: &str) -> bool {
    let body: String = key
        .split("-----")
        .nth(2)
        .unwrap_or("")
        .replace("\\n", "")
        .replace('\\', "");
    body.len() >= 64 && plausible(&body[..64])
}

/// An Azure SAS signature: the URL-encoded base64 of an HMAC-SHA256.
fn sas_signature(sig: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(sig).decode_utf8_lossy();
    STANDARD
        .decode(decoded.as_bytes())
        .is_ok_and(|d| d.len() == 32)
}

/// A Supabase service-role JWT (anon keys are public), other than the
/// published local-development key (`iss` `supabase-demo`).
fn supabase_service_role(token: &str) -> bool {
    jwt_payload(token).is_some_and(|p| {
        p["role"] == "service_role" && p["iss"] != "supabase-demo" && plausible(token)
    })
}

/// Cloud and hosting formats.
pub static RULES: &[Rule] = &[
    Rule {
        id: "aws-bedrock-api-key",
        description: "AWS Bedrock API key",
        help: "An Amazon Bedrock API key (ABSK long-term key, or bedrock-api-key- short-term key): it calls Bedrock models as its IAM identity. Delete the long-term key's service-specific credential in IAM (`aws iam delete-service-specific-credential`) or revoke the short-term key's session by denying the role's sessions issued before now; then check CloudTrail.",
        keywords: &["ABSKQmVkcm9ja0FQSUtleS", "bedrock-api-key-"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{20,400}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{40,3000}={0,2})",
            end_b64!()
        ),
        check: Check::Verify(bedrock),
    },
    Rule {
        id: "gcp-service-account",
        description: "Google Cloud service account key",
        help: "A Google Cloud service account key file (JSON with \"type\": \"service_account\" and a private_key): whoever has it acts as the service account with all its IAM roles. Delete the key in the console under IAM & Admin > Service Accounts > Keys, or with `gcloud iam service-accounts keys delete`, and prefer workload identity federation.",
        keywords: &["service_account"],
        case_sensitive: false,
        pattern: r"(?s-u)\btype\W{1,8}service_account\b.{0,2000}?\bprivate_key\W{1,8}(?P<secret>-----BEGIN[A-Z ]{0,16}PRIVATE KEY-----(?:\\{1,2}r)?\\{1,2}n[A-Za-z0-9+/=\\]{64,})",
        check: Check::Verify(pem_in_json),
    },
    Rule {
        id: "gcp-oauth-client-secret",
        description: "Google OAuth client secret",
        help: "A Google OAuth 2.0 client secret (GOCSPX-): with the client id it obtains tokens as the application. Reset the secret (add a new one, then delete the old) in the Cloud console under APIs & Services > Credentials.",
        keywords: &["GOCSPX-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>GOCSPX-[A-Za-z0-9_-]{28})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "gcp-fcm-server-key",
        description: "Firebase Cloud Messaging server key",
        help: "A legacy Firebase Cloud Messaging server key (AAAA...:APA91b...): it sends push notifications to every user of the app. Delete it in the Firebase console under Project settings > Cloud Messaging and move to the HTTP v1 API.",
        keywords: &["APA91b"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "azure-ad-client-secret",
        description: "Azure AD (Entra ID) client secret",
        help: "A Microsoft Entra ID (Azure AD) application client secret (the Q~ format): with the application id it signs in as the app with all its API permissions. Delete it in the Azure portal under App registrations > Certificates & secrets, or with `az ad app credential delete`.",
        keywords: &["Q~"],
        case_sensitive: true,
        pattern: r"(?-u)(?:^|[^A-Za-z0-9_~.-])(?P<secret>[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)",
        check: Check::Verify(random),
    },
    Rule {
        id: "azure-storage-account-key",
        description: "Azure storage account key",
        help: "An Azure storage account (or Cosmos DB) access key, in a connection string (AccountKey=) or named for Azure storage: it has full control of every container, queue, table and file share of the account. Rotate it in the Azure portal under the account's Access keys, or with `az storage account keys renew`, and prefer Entra ID or SAS tokens.",
        keywords: &[
            "accountkey=",
            "azure",
            "storage_account",
            "storage-account",
            "storage.account",
            "storageaccount",
            "storage_key",
            "storage-key",
            "storage.key",
            "storagekey",
        ],
        case_sensitive: false,
        pattern: concat!(
            r"(?-u)(?:\bAccountKey=|(?i:azure|storage[_.-]?(?:account|key))[\w.-]{0,30}?(?i:key|secret)?[\w.-]{0,20}?",
            super::parts::sep!(),
            r")(?P<secret>[A-Za-z0-9+/]{86}==)",
            end_b64!()
        ),
        check: Check::Verify(azure_key),
    },
    Rule {
        id: "azure-shared-access-key",
        description: "Azure Service Bus or Event Hubs shared access key",
        help: "An Azure Service Bus, Event Hubs or IoT Hub shared access key (SharedAccessKey= in a connection string): it sends, listens or manages per its policy. Regenerate the policy's keys in the Azure portal under Shared access policies, or with `az servicebus namespace authorization-rule keys renew`.",
        keywords: &["SharedAccessKey="],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\bSharedAccessKey=(?P<secret>[A-Za-z0-9+/]{43}=)",
            end_b64!()
        ),
        check: Check::Verify(azure_key),
    },
    Rule {
        id: "azure-sas-token",
        description: "Azure shared access signature",
        help: "An Azure Storage shared access signature (a URL or query with sv=... and sig=...): it grants what its sp= permissions allow until se=. Revoke it by rotating the account key that signed it, or by deleting the stored access policy it refers to; prefer short-lived user-delegation SAS.",
        keywords: &["sv=20"],
        case_sensitive: true,
        pattern: r#"(?-u)\bsv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&[^\s"'<>]{0,300}?\bsig=(?P<secret>[A-Za-z0-9%+/]{40,120}(?:%3[Dd]|=){0,2})"#,
        check: Check::Verify(sas_signature),
    },
    Rule {
        id: "azure-devops-pat",
        description: "Azure DevOps personal access token",
        help: "An Azure DevOps personal access token (84 characters with the AZDO signature): it acts as its user on the organisations and scopes it was given. Revoke it in Azure DevOps under User settings > Personal access tokens (administrators can revoke any user's tokens).",
        keywords: &["AZDO"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>[A-Za-z0-9]{52}JQQJ9[0-9A-Za-z][A-Za-z0-9]{18}AZDO[A-Za-z0-9]{4})\b",
        check: Check::Verify(random),
    },
    Rule {
        id: "azure-devops-pat-legacy",
        description: "Azure DevOps personal access token (legacy)",
        help: "A legacy Azure DevOps personal access token (52 base32 characters, named for Azure DevOps): it acts as its user on the organisations and scopes it was given. Revoke it in Azure DevOps under User settings > Personal access tokens.",
        keywords: &["devops", "vsts"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!(r"azure[_.-]?devops|vsts"),
            r"(?P<secret>[a-z2-7]{52})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "alibaba-access-key-id",
        description: "Alibaba Cloud AccessKey ID",
        help: "An Alibaba Cloud AccessKey ID (LTAI): with its AccessKey secret it calls the APIs as its RAM user. Disable and delete the AccessKey pair in the RAM console (Users > AccessKey) and check ActionTrail for its use.",
        keywords: &["LTAI"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>LTAI[A-Za-z0-9]{12,20})\b",
        check: Check::Verify(random),
    },
    Rule {
        id: "alibaba-secret-key",
        description: "Alibaba Cloud AccessKey secret",
        help: "An Alibaba Cloud AccessKey secret (30 characters, named for Alibaba Cloud): it signs API calls as its RAM user. Delete the AccessKey pair in the RAM console and create a new one.",
        keywords: &["alibaba", "aliyun", "alicloud"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("alibaba|aliyun|alicloud"),
            r"(?P<secret>[A-Za-z0-9]{30})",
            end!()
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "tencent-cloud-secret-id",
        description: "Tencent Cloud SecretId",
        help: "A Tencent Cloud API SecretId (AKID): with its SecretKey it signs API calls as its account or sub-user. Disable and delete the key in the CAM console under API Keys, and check CloudAudit for its use.",
        keywords: &["AKID"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>AKID[A-Za-z0-9]{32})\b",
        check: Check::Verify(random),
    },
    Rule {
        id: "tencent-cloud-secret-key",
        description: "Tencent Cloud SecretKey",
        help: "A Tencent Cloud API SecretKey (32 characters, named for Tencent Cloud): it signs API calls as its account or sub-user. Delete the key pair in the CAM console under API Keys.",
        keywords: &["tencent", "qcloud"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("tencent|qcloud"),
            r"(?P<secret>[A-Za-z0-9]{32})",
            end!()
        ),
        check: Check::Verify(random),
    },
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

    #[test]
    fn bedrock_keys_decode() {
        let long = format!(
            "ABSK{}",
            STANDARD.encode("BedrockAPIKey-q7r2-at-123456789012:Zm9x3PqL8vTw2nKc5RbYhJ4s")
        );
        assert!(bedrock(&long));
        let wrong = format!("ABSK{}", STANDARD.encode("SomethingElse-q7r2:Zm9x3PqL8vTw"));
        assert!(!bedrock(&wrong));
        let short = format!(
            "bedrock-api-key-{}",
            STANDARD
                .encode("bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4")
        );
        assert!(bedrock(&short));
    }

    #[test]
    fn sas_signature_is_an_hmac() {
        let sig = STANDARD
            .encode([7u8; 32])
            .replace('=', "%3D")
            .replace('+', "%2B");
        assert!(sas_signature(&sig));
        assert!(!sas_signature("c2hvcnQ%3D"));
    }

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
    fn azure_keys() {
        assert!(!azure_key(super::super::parts::DOCUMENTED_EXAMPLES[0]));
        assert!(azure_key(
            "q7Zr2LmX0vTn4KcW9pYs3bHd8FjG6aUe1TiO5rYqLk2Vx9Nw4Mb7Pc0Rt3Sg6Dh1Jf8Ka5Ql2Zu9Ey4Wo7Ix0Ap3Bs6Cv=="
        ));
        assert!(pem_in_json(
            r"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7q9Zr2LmX0vTn4KcW9pYs"
        ));
        assert!(!pem_in_json(r"-----BEGIN PRIVATE KEY-----\n..."));
        assert!(scaleway_access("SCWQ7R2M4K8X1ZP3N6B9"));
        assert!(!scaleway_access("SCWXXXXXXXXXXXXXXXXX"));
    }
}
