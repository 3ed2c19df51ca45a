//! Other SaaS APIs developers use most: CRM and marketing (HubSpot,
//! Salesforce), maps (Mapbox), search and analytics (Algolia, Segment,
//! Mixpanel, Amplitude, PostHog), identity (Okta, Auth0), content
//! (Contentful, Sanity), work tools (Typeform, Asana, Trello, ClickUp,
//! Zoom, Zapier, Frame.io, ReadMe), feature flags and observability
//! (LaunchDarkly, Sumo Logic, Rollbar, Honeycomb, Fastly), automation
//! (Prefect, Infracost, Harness, Adobe) and databases with their own
//! tokens (MongoDB Atlas, Neon, Redis Cloud).

use base64::Engine;

use super::parts::uuid;
use super::shape::{mixed_case, random, random_after_prefix, random_body};
use super::{Check, Rule};

/// Other SaaS formats.
pub static RULES: &[Rule] = &[
    Rule {
        id: "hubspot-private-app-token",
        description: "HubSpot private app access token",
        help: "A HubSpot private app or personal access token (pat-na1-<uuid>): it reads and changes CRM data within its scopes. Rotate it in HubSpot under Settings > Integrations > Private Apps > the app > Auth > Rotate.",
        keywords: &["pat-na", "pat-eu", "pat-ap"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>pat-(?:na|eu|ap)[0-9]-", uuid!(), r")\b"),
        check: Check::Verify(after_region),
    },
    Rule {
        id: "hubspot-api-key",
        description: "HubSpot legacy API key",
        help: "A legacy HubSpot API key (a UUID next to a HubSpot name): it had full access to the portal. Deactivate it under Settings > Integrations > API key and move to a private app token.",
        keywords: &["hubspot", "hapikey"],
        case_sensitive: false,
        pattern: near!(
            r"hubspot[a-z0-9_.-]{0,20}(?:key|token|secret)|hapikey",
            uuid!(),
            "A-Za-z0-9_-"
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "mapbox-secret-token",
        description: "Mapbox secret access token",
        help: "A Mapbox secret access token (sk.eyJ...): it calls the account's private APIs (uploads, styles, tokens). Delete it on account.mapbox.com under Access tokens.",
        keywords: &["sk.eyJ"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>sk\.eyJ[A-Za-z0-9_-]{10,200}\.[A-Za-z0-9_-]{20,})(?:[^A-Za-z0-9_.-]|$)",
        check: Check::Verify(mapbox),
    },
    Rule {
        id: "algolia-api-key",
        description: "Algolia admin or write API key",
        help: "An Algolia admin or write API key (32 hex digits named as an Algolia admin, write or API key; search-only keys are public and not reported): it changes and deletes indices. Regenerate the admin key or delete the key in the Algolia dashboard under Settings > API Keys.",
        keywords: &["algolia"],
        case_sensitive: false,
        pattern: near!(
            r"algolia[_.-]?(?:admin|write|secret|private|api)[a-z0-9_.-]{0,12}key",
            "[0-9a-f]{32}"
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "okta-access-token",
        description: "Okta API token",
        help: "An Okta API token (00 + 40 characters next to an Okta name): it calls the Okta API with its creator's admin rights. Revoke it in the Admin Console under Security > API > Tokens.",
        keywords: &["okta"],
        case_sensitive: false,
        pattern: near!("okta", "00[A-Za-z0-9_-]{40}", "A-Za-z0-9_-"),
        check: Check::Verify(okta),
    },
    Rule {
        id: "auth0-client-secret",
        description: "Auth0 client secret",
        help: "An Auth0 application client secret (64 characters next to an Auth0 name): it gets tokens as the application, including Management API tokens for machine-to-machine apps. Rotate it in the Auth0 Dashboard under Applications > the app > Settings > Rotate.",
        keywords: &["auth0"],
        case_sensitive: false,
        pattern: near!("auth0", "[A-Za-z0-9_-]{64}", "A-Za-z0-9_-"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "contentful-personal-access-token",
        description: "Contentful personal access token",
        help: "A Contentful personal access token (CFPAT-): it calls the Content Management API as its user. Revoke it in the Contentful web app under Settings > CMA tokens.",
        keywords: &["CFPAT-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>CFPAT-[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Verify(after_dash),
    },
    Rule {
        id: "contentful-delivery-api-token",
        description: "Contentful delivery or preview API token",
        help: "A Contentful Delivery or Preview API token (43 characters next to a Contentful name): it reads the space's published or draft content. Delete the API key in the space under Settings > API keys.",
        keywords: &["contentful"],
        case_sensitive: false,
        pattern: near!("contentful", "[A-Za-z0-9_-]{43}", "A-Za-z0-9_-"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "typeform-api-token",
        description: "Typeform personal access token",
        help: "A Typeform personal access token (tfp_): it reads forms and responses of the account. Delete it in Typeform under Account > Personal tokens.",
        keywords: &["tfp_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>tfp_[A-Za-z0-9_.=-]{56,64})(?:[^A-Za-z0-9_.=-]|$)",
        check: Check::Verify(typeform),
    },
    Rule {
        id: "asana-personal-access-token",
        description: "Asana personal access token",
        help: "An Asana personal access token (1/<user id>:<32 hex> next to an Asana name): it acts as the user in every workspace. Delete it in Asana under My Settings > Apps > Developer apps > Personal access tokens.",
        keywords: &["asana"],
        case_sensitive: false,
        pattern: near!(
            "asana",
            "[0-9]/[0-9]{10,19}(?:/[0-9]{10,19})?:[0-9a-f]{32}",
            "A-Za-z0-9_/:"
        ),
        check: Check::Verify(asana),
    },
    Rule {
        id: "frameio-api-token",
        description: "Frame.io developer token",
        help: "A Frame.io developer token (fio-u-): it reads and uploads the user's assets. Delete it in the Frame.io developer site under Tokens.",
        keywords: &["fio-u-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>fio-u-[A-Za-z0-9_=-]{64})(?:[^A-Za-z0-9_=-]|$)",
        check: Check::Verify(after_six),
    },
    Rule {
        id: "readme-api-token",
        description: "ReadMe API key",
        help: "A ReadMe API key (rdme_): it changes the project's documentation and reads its metrics. Revoke it in the ReadMe dashboard under the project's API Keys.",
        keywords: &["rdme_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>rdme_[a-z0-9]{70})\b",
        check: Check::Verify(after_five),
    },
    Rule {
        id: "launchdarkly-access-token",
        description: "LaunchDarkly access token or SDK key",
        help: "A LaunchDarkly API access token (api-<uuid>) or server-side SDK key (sdk-<uuid>): it changes flags or reads every flag's rules for the environment. Reset it in LaunchDarkly under Organization settings > Authorization (tokens) or the environment's keys.",
        keywords: &["api-", "sdk-"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)(?:^|[^A-Za-z0-9_./-])(?P<secret>(?:api|sdk)-",
            uuid!(),
            r")\b"
        ),
        check: Check::Verify(after_dash),
    },
    Rule {
        id: "segment-public-api-token",
        description: "Segment Public API token",
        help: "A Twilio Segment Public API token (sgp_ + 64 characters): it manages the workspace's sources, destinations and tracking plans. Revoke it in Segment under Settings > Workspace settings > Access Management > Tokens.",
        keywords: &["sgp_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>sgp_[A-Za-z0-9]{64})\b",
        check: Check::Verify(after_four_mixed),
    },
    Rule {
        id: "mixpanel-api-secret",
        description: "Mixpanel API secret",
        help: "A Mixpanel project API secret or service account secret (named as a Mixpanel secret; the project token is public): it exports and imports the project's data. Reset it in Mixpanel under Project Settings (or Organization Settings > Service Accounts).",
        keywords: &["mixpanel"],
        case_sensitive: false,
        pattern: near!(
            r"mixpanel[a-z0-9_.-]{0,20}(?:secret|service)",
            "[0-9a-f]{32}|[A-Za-z0-9]{32}"
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "amplitude-api-key",
        description: "Amplitude secret key",
        help: "An Amplitude secret key (32 hex digits named as an Amplitude secret; the API key alone is public): with the API key it exports the project's data. Rotate the keys in Amplitude under Settings > Projects > the project > General.",
        keywords: &["amplitude"],
        case_sensitive: false,
        pattern: near!(r"amplitude[a-z0-9_.-]{0,20}secret", "[0-9a-f]{32}"),
        check: Check::Verify(random),
    },
    Rule {
        id: "sumologic-access-token",
        description: "Sumo Logic access key",
        help: "A Sumo Logic access key (64 characters next to a Sumo name): with its access id it queries logs and changes the account's configuration. Delete it in Sumo Logic under Administration > Security > Access Keys.",
        keywords: &["sumologic", "sumo_", "sumo-"],
        case_sensitive: false,
        pattern: near!(r"\bsumo(?:logic)?", "[A-Za-z0-9]{64}"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "zapier-webhook-url",
        description: "Zapier catch hook URL",
        help: "A Zapier webhook (Catch Hook) URL: anyone holding it triggers the Zap with any data. Turn the Zap off or change its trigger to get a new URL in the Zap editor.",
        keywords: &["hooks.zapier.com/hooks/catch/"],
        case_sensitive: false,
        pattern: r"(?-u)(?P<secret>https://hooks\.zapier\.com/hooks/catch/[0-9]{4,12}/[a-z0-9]{5,12})(?:[^A-Za-z0-9]|$)",
        check: Check::Verify(zapier),
    },
    Rule {
        id: "salesforce-access-token",
        description: "Salesforce access token",
        help: "A Salesforce OAuth access or session token (<org id>!<token>): it calls the org's APIs as the user. Revoke it under Setup > Session Management or the user's Connected Apps OAuth usage, or with the `/services/oauth2/revoke` endpoint.",
        keywords: &["00D"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>00D[A-Za-z0-9]{12,15}![A-Za-z0-9_.]{80,120})(?:[^A-Za-z0-9_.]|$)",
        check: Check::Verify(salesforce),
    },
    Rule {
        id: "zoom-client-secret",
        description: "Zoom OAuth client or secret token",
        help: "A Zoom app client secret or webhook secret token (32 characters next to a Zoom name): it gets OAuth tokens as the app or forges its webhooks. Regenerate it in the Zoom App Marketplace under Manage > the app > App Credentials.",
        keywords: &["zoom"],
        case_sensitive: false,
        pattern: near!(r"zoom[a-z0-9_.-]{0,20}(?:secret|token)", "[A-Za-z0-9]{32}"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "sanity-api-token",
        description: "Sanity API token",
        help: "A Sanity API token (sk + 70 or more characters next to a Sanity name): it reads and writes the project's datasets. Delete it on sanity.io/manage under the project's API > Tokens.",
        keywords: &["sanity"],
        case_sensitive: false,
        pattern: near!("sanity", "sk[A-Za-z0-9]{70,190}"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "prefect-api-token",
        description: "Prefect Cloud API key",
        help: "A Prefect Cloud API key (pnu_ user, pnb_ service account): it runs and changes flows in its workspaces. Delete it in Prefect Cloud under Profile > API keys (or the service account).",
        keywords: &["pnu_", "pnb_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>pn[ub]_[A-Za-z0-9]{36})\b",
        check: Check::Verify(after_four_mixed),
    },
    Rule {
        id: "infracost-api-token",
        description: "Infracost API key",
        help: "An Infracost API key (ico-): it prices infrastructure and reads the organisation's cost data. Rotate it in Infracost Cloud under Org Settings > API token, or with `infracost configure set api_key`.",
        keywords: &["ico-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>ico-[A-Za-z0-9]{32})\b",
        check: Check::Verify(after_four_mixed),
    },
    Rule {
        id: "fastly-api-token",
        description: "Fastly API token",
        help: "A Fastly API token (32 characters next to a Fastly name): it purges caches and changes services within its scope. Revoke it in Fastly under Account > Personal API tokens.",
        keywords: &["fastly"],
        case_sensitive: false,
        pattern: near!("fastly", "[A-Za-z0-9_-]{32}", "A-Za-z0-9_-"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "mongodb-atlas-api-key",
        description: "MongoDB Atlas API private key",
        help: "A MongoDB Atlas programmatic API private key (a UUID next to an Atlas or MongoDB name): it manages the organisation's clusters and database users. Delete the key in Atlas under Organization Access Manager > API Keys.",
        keywords: &["mongodb", "atlas"],
        case_sensitive: false,
        pattern: near!(
            r"(?:mongodb|atlas)[a-z0-9_.-]{0,20}(?:private|secret)",
            uuid!(),
            "A-Za-z0-9_-"
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "mongodb-atlas-service-account-secret",
        description: "MongoDB Atlas service account secret",
        help: "A MongoDB Atlas service account client secret (mdb_sa_sk_): it gets access tokens for the Atlas Administration API. Revoke it in Atlas under Organization Access Manager > Service Accounts.",
        keywords: &["mdb_sa_sk_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>mdb_sa_sk_[A-Za-z0-9_-]{30,80})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Verify(after_ten),
    },
    Rule {
        id: "neon-api-key",
        description: "Neon API key",
        help: "A Neon API key (napi_): it creates and deletes the account's projects, branches and databases. Revoke it in the Neon Console under Account settings > API keys.",
        keywords: &["napi_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>napi_[a-z0-9]{64})\b",
        check: Check::Verify(after_five),
    },
    Rule {
        id: "redis-cloud-api-key",
        description: "Redis Cloud API key",
        help: "A Redis Cloud account or user API key (next to a Redis Cloud name): it manages the account's subscriptions and databases. Delete it in the Redis Cloud console under Access Management > API Keys.",
        keywords: &["rediscloud", "redis_cloud", "redis-cloud", "redislabs"],
        case_sensitive: false,
        pattern: near!("redis[_-]?cloud|redislabs", "[A-Za-z0-9]{40,60}"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "adobe-client-secret",
        description: "Adobe client secret",
        help: "An Adobe Developer Console client secret (p8e-): it gets access tokens for the project's Adobe APIs. Reset it in the Adobe Developer Console under the project's credential > Retrieve client secret > Reset.",
        keywords: &["p8e-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>p8e-[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Verify(after_four_mixed),
    },
    Rule {
        id: "harness-api-key",
        description: "Harness API key token",
        help: "A Harness personal or service account token (pat. or sat.<account>.<id>.<secret>): it calls the Harness API as its owner. Delete it in Harness under My Profile > API keys (or the service account's keys).",
        keywords: &["pat.", "sat."],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})\b",
        check: Check::Verify(harness),
    },
    Rule {
        id: "clickup-api-token",
        description: "ClickUp personal API token",
        help: "A ClickUp personal API token (pk_<user id>_<32 characters>): it acts as the user in every workspace. Regenerate it in ClickUp under Settings > Apps > API Token.",
        keywords: &["pk_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>pk_[0-9]{6,10}_[A-Z0-9]{32})\b",
        check: Check::Verify(after_last_underscore),
    },
    Rule {
        id: "posthog-personal-api-key",
        description: "PostHog personal API key",
        help: "A PostHog personal API key (phx_): it reads and changes the projects its user can reach. Delete it in PostHog under Settings > User > Personal API keys.",
        keywords: &["phx_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>phx_[A-Za-z0-9]{40,50})\b",
        check: Check::Verify(after_four_mixed),
    },
    Rule {
        id: "rollbar-access-token",
        description: "Rollbar access token",
        help: "A Rollbar project or account access token (32 hex digits next to a Rollbar name): a write or read token posts or reads the project's errors. Disable it in Rollbar under Project Settings > Project Access Tokens.",
        keywords: &["rollbar"],
        case_sensitive: false,
        pattern: near!("rollbar", "[0-9a-f]{32}"),
        check: Check::Verify(random),
    },
    Rule {
        id: "honeycomb-api-key",
        description: "Honeycomb ingest key",
        help: "A Honeycomb ingest key (hcaik_, hcxik_): it sends events into the environment. Delete it in Honeycomb under Environment settings > API Keys.",
        keywords: &["hcaik_", "hcxik_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>hc[ax]ik_[A-Za-z0-9]{50,70})\b",
        check: Check::Verify(after_six),
    },
    Rule {
        id: "trello-api-token",
        description: "Trello API token",
        help: "A Trello API token (ATTA... or 64 hex digits next to a Trello name): it acts as the user on every board. Revoke it on trello.com under Account > Applications (or the Power-Up admin page).",
        keywords: &["trello"],
        case_sensitive: false,
        pattern: near!("trello", "ATTA[A-Za-z0-9]{56,72}|[0-9a-f]{64}"),
        check: Check::Verify(random),
    },
];

/// [`random`] and [`mixed_case`] together.
fn random_mixed(text: &str) -> bool {
    random(text) && mixed_case(text)
}

/// A HubSpot token's UUID (after `pat-na1-`) looks random.
fn after_region(text: &str) -> bool {
    random_after_prefix(text, 8)
}

/// The part after the first `-` looks random.
fn after_dash(text: &str) -> bool {
    text.split_once('-').is_some_and(|(_, b)| random_body(b))
}

/// The part after the last `_` looks random.
fn after_last_underscore(text: &str) -> bool {
    text.rsplit('_').next().is_some_and(random_body)
}

/// The body after a 4-byte prefix is random base62.
fn after_four_mixed(text: &str) -> bool {
    text.get(4..).is_some_and(random_mixed)
}

/// The body after a 5-byte prefix looks random.
fn after_five(text: &str) -> bool {
    random_after_prefix(text, 5)
}

/// The body after a 6-byte prefix looks random.
fn after_six(text: &str) -> bool {
    random_after_prefix(text, 6)
}

/// The body after a 10-byte prefix looks random.
fn after_ten(text: &str) -> bool {
    random_after_prefix(text, 10)
}

/// An Okta token's 40 characters after `00` are random base62.
fn okta(text: &str) -> bool {
    text.get(2..).is_some_and(random_mixed)
}

/// A Typeform token's body looks random.
fn typeform(text: &str) -> bool {
    text.get(4..)
        .is_some_and(|b| random_body(b) && mixed_case(b))
}

/// An Asana token's 32 hex digits look random.
fn asana(text: &str) -> bool {
    text.rsplit(':').next().is_some_and(random_body)
}

/// A Zapier hook's key segment mixes letters and digits.
fn zapier(text: &str) -> bool {
    text.rsplit('/').next().is_some_and(|k| {
        k.bytes().any(|c| c.is_ascii_digit()) && k.bytes().any(|c| c.is_ascii_lowercase())
    })
}

/// A Salesforce token's part after `!` looks random.
fn salesforce(text: &str) -> bool {
    text.split_once('!')
        .is_some_and(|(_, t)| random_body(t) && mixed_case(t))
}

/// A Harness token's secret part is random base62.
fn harness(text: &str) -> bool {
    text.rsplit('.').next().is_some_and(random_mixed)
}

/// A Mapbox token's middle part is base64url JSON naming the user
/// (`{"u":...}`).
fn mapbox(text: &str) -> bool {
    let mut parts = text.split('.');
    let (Some(_), Some(payload), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .unwrap_or_default();
    decoded.starts_with(b"{\"u\":\"") && random_body(signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapbox_payload_names_the_user() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"u":"kestrel-maps","a":"clq8z3k2x0a7b2jp4m9v6t1rd"}"#);
        let token = format!("sk.{payload}.Zq7Rw2kP9vYt4LmX8cNb3H");
        assert!(mapbox(&token));
        let other = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#);
        assert!(!mapbox(&format!("sk.{other}.Zq7Rw2kP9vYt4LmX8cNb3H")));
        assert!(!mapbox("sk.eyJ"));
    }

    #[test]
    fn okta_asana_salesforce_harness() {
        assert!(okta("00q7Rw2ZkP9vYt4LmX8cNb3HsD5fGh1JkM0nT6wE9u"));
        assert!(!okta("00xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(asana("1/1204857361029384:9f3a61c0d8e24b7a95c1e06d3f8b2a47"));
        assert!(!asana(
            "1/1204857361029384:00000000000000000000000000000000"
        ));
        assert!(salesforce(
            "00D5g000004Kx9Q!AQ4AQFtOl5Yc6.j3QmZt9WvLp4RcN8bY3sD5fGh1JkM0nT6wE9uIoP3aS8dF2gH4jK7lQz1xC5vB0nM"
        ));
        assert!(harness(
            "pat.Kx7Qm2Zt9vLpR4wYc8NbH3.sD5fGj1Tk6MnA0pQr2StUvWx.Yz3Ab5Cd7Ef9Gh1Ij2Kl"
        ));
        assert!(!harness(
            "pat.Kx7Qm2Zt9vLpR4wYc8NbH3.sD5fGj1Tk6MnA0pQr2StUvWx.xxxxxxxxxxxxxxxxxxxx"
        ));
    }

    #[test]
    fn zapier_keys() {
        assert!(zapier(
            "https://hooks.zapier.com/hooks/catch/4829163/b7k2x9q"
        ));
        assert!(!zapier(
            "https://hooks.zapier.com/hooks/catch/123456/abcdef"
        ));
    }

    #[test]
    fn bodies_after_prefixes() {
        assert!(after_region("pat-na1-8c1d4f2a-73be-4e09-a5d6-2f9b0c7e1a34"));
        assert!(!after_region(
            "pat-na1-00000000-0000-0000-0000-000000000000"
        ));
        assert!(after_four_mixed("ico-Kx7Qm2Zt9vLpR4wYc8NbH3sD5fGj1Tk6"));
        assert!(!after_four_mixed("ico-kx7qm2zt9vlpr4wyc8nbh3sd5fgj1tk6"));
        assert!(after_five(
            "napi_k3jx9qmzt2w7v8lpr4c6nb5h1dq8v2m5k1z7x4c9b3n6r0t2y5u8w1e4a7s0d3f6g9"
        ));
        assert!(!after_five(
            "napi_0000000000000000000000000000000000000000000000000000000000000000"
        ));
        assert!(after_six(
            "fio-u-Kx7Qm2Zt9vLpR4wYc8NbH3sD5fGj1Tk6MnA0pQr2StUvWx3Yz5Ab7Cd9Ef1Gh"
        ));
        assert!(after_ten("mdb_sa_sk_Kx7Qm2Zt9vLpR4wYc8NbH3sD5fGj1Tk6MnA0"));
        assert!(!after_ten("mdb_sa_sk_your_client_secret"));
        assert!(typeform(
            "tfp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2_isAjIhKtJ0RlgL"
        ));
        assert!(!typeform(
            "tfp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
        assert!(after_dash("api-8c1d4f2a-73be-4e09-a5d6-2f9b0c7e1a34"));
        assert!(after_last_underscore(
            "pk_48213960_Q7RW2ZKP9VYT4LMX8CNB3HSD5FGH1JKM"
        ));
    }
}
