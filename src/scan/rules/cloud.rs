//! Cloud providers: AWS Bedrock, Google Cloud, Azure, Alibaba, Tencent
//! (hosting platforms are in [`super::hosting`]). Prefixed formats match
//! bare; UUIDs and plain hex or alphanumeric keys only next to a name that
//! says whose key it is.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::parts::{decode_b64, documented, end, end_b64, mixed, named, plausible};
use super::{Check, Rule};

/// A generated token body: no placeholder shape.
pub(super) fn body(token: &str) -> bool {
    plausible(token)
}

/// A generated alphanumeric key mixing character classes.
pub(super) fn random(token: &str) -> bool {
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

/// Cloud provider formats.
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
];

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
    fn azure_keys() {
        assert!(!azure_key(super::super::parts::DOCUMENTED_EXAMPLES[0]));
        assert!(azure_key(
            "q7Zr2LmX0vTn4KcW9pYs3bHd8FjG6aUe1TiO5rYqLk2Vx9Nw4Mb7Pc0Rt3Sg6Dh1Jf8Ka5Ql2Zu9Ey4Wo7Ix0Ap3Bs6Cv=="
        ));
        assert!(pem_in_json(
            r"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7q9Zr2LmX0vTn4KcW9pYs"
        ));
        assert!(!pem_in_json(r"-----BEGIN PRIVATE KEY-----\n..."));
    }
}
