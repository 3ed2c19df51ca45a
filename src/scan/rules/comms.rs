//! Messaging and communication providers: Slack's newer tokens and
//! webhooks, Microsoft Teams, Discord, Telegram, Twilio, the e-mail APIs
//! (SendGrid, Mailgun, Mailchimp, Postmark, Brevo, Resend), support and
//! on-call tools (Zendesk, Intercom, PagerDuty, Opsgenie) and the social
//! platforms (Meta, X, Dropbox, Twitch).

use base64::Engine;

use super::parts::uuid;
use super::shape::{mixed_case, random, random_after_prefix, random_body};
use super::{Check, Rule};

/// Messaging and communication formats.
pub static RULES: &[Rule] = &[
    Rule {
        id: "slack-app-token",
        description: "Slack app-level token",
        help: "A Slack app-level token (xapp-): it opens Socket Mode connections and calls the apps.* APIs for every workspace the app is in. Revoke it under api.slack.com/apps > your app > Basic Information > App-Level Tokens, and create a new one.",
        keywords: &["xapp-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[0-9a-f]{64})\b",
        check: Check::Verify(slack_tail),
    },
    Rule {
        id: "slack-config-access-token",
        description: "Slack app configuration access token",
        help: "A Slack app configuration token (xoxe.xoxp- or xoxe.xoxb-): it creates and changes apps through the App Manifest API for its workspace. Revoke it with the `tooling.tokens.rotate` or `auth.revoke` API, or regenerate it under api.slack.com/apps > Your App Configuration Tokens.",
        keywords: &["xoxe.xox"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{150,180})\b",
        check: Check::Verify(slack_tail),
    },
    Rule {
        id: "slack-config-refresh-token",
        description: "Slack app configuration refresh token",
        help: "A Slack configuration refresh token (xoxe-1-): it mints new app configuration tokens. Regenerate the configuration tokens under api.slack.com/apps > Your App Configuration Tokens, which invalidates it.",
        keywords: &["xoxe-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>xoxe-[0-9]-[A-Za-z0-9]{140,160})\b",
        check: Check::Verify(slack_tail),
    },
    Rule {
        id: "slack-legacy-workspace-token",
        description: "Slack workspace app token",
        help: "A Slack workspace app access or refresh token (xoxa-2-, xoxr-): it acts for a whole workspace. Revoke it with the `auth.revoke` API or by uninstalling the app from the workspace.",
        keywords: &["xoxa-", "xoxr-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>xox[ar]-[0-9]-[0-9]{6,14}-[0-9]{6,14}-[0-9]{6,14}-[0-9a-f]{16,64})\b",
        check: Check::Verify(slack_tail),
    },
    Rule {
        id: "slack-webhook-url",
        description: "Slack incoming webhook or workflow URL",
        help: "A Slack incoming webhook or workflow trigger URL: anyone holding it posts into the channel it is bound to. Remove the webhook under api.slack.com/apps > Incoming Webhooks (or delete the workflow trigger) and create a new one.",
        keywords: &["hooks.slack.com/"],
        case_sensitive: false,
        pattern: r"(?-u)(?P<secret>(?:https?://)?hooks\.slack\.com/(?:services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24}|(?:workflows|triggers)/T[A-Z0-9]{8,12}/(?:A[A-Z0-9]{8,12}/)?[0-9]{6,20}/[A-Za-z0-9]{32}))\b",
        check: Check::Verify(webhook_tail),
    },
    Rule {
        id: "microsoft-teams-webhook",
        description: "Microsoft Teams incoming webhook URL",
        help: "A Microsoft Teams (Office 365 connector) incoming webhook URL: anyone holding it posts into the channel. Remove the Incoming Webhook connector from the channel (Channel > Connectors > Configured) and add a new one.",
        keywords: &[
            "webhook.office.com/webhookb2/",
            "outlook.office.com/webhook/",
            "outlook.office365.com/webhook/",
        ],
        case_sensitive: false,
        pattern: concat!(
            r"(?-u)(?P<secret>https://(?:[a-z0-9-]+\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/",
            uuid!(),
            "@",
            uuid!(),
            "/IncomingWebhook/[0-9a-f]{32}/",
            uuid!(),
            r"(?:/[A-Za-z0-9_-]{20,80})?)\b"
        ),
        check: Check::Verify(teams_tail),
    },
    Rule {
        id: "discord-webhook-url",
        description: "Discord webhook URL",
        help: "A Discord webhook URL: anyone holding it posts into the channel as the webhook. Delete the webhook under Server Settings > Integrations > Webhooks (or `DELETE /webhooks/{id}/{token}`) and create a new one.",
        keywords: &["discord.com/api/", "discordapp.com/api/"],
        case_sensitive: false,
        pattern: r"(?-u)(?P<secret>https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/(?:v[0-9]{1,2}/)?webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Verify(webhook_tail),
    },
    Rule {
        id: "discord-bot-token",
        description: "Discord bot token",
        help: "A Discord bot token: it logs in as the bot with every permission it has on every server it joined. Reset it in the Developer Portal under Applications > your app > Bot > Reset Token.",
        keywords: &["discord"],
        case_sensitive: false,
        pattern: near!(
            "discord",
            r"[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}",
            "A-Za-z0-9_.-"
        ),
        check: Check::Verify(discord_bot_token),
    },
    Rule {
        id: "telegram-bot-api-token",
        description: "Telegram bot token",
        help: "A Telegram Bot API token (bot id, colon, secret): it controls the bot, reads its messages and sends as it. Revoke it with BotFather's /revoke command, which issues a new one.",
        keywords: &[":AA"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>[0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Verify(telegram),
    },
    Rule {
        id: "twilio-api-key",
        description: "Twilio API key SID",
        help: "A Twilio API key SID (SK + 32 hex digits): with its secret it calls the Twilio API for the account (calls, SMS, billing). Delete the key in the Twilio Console under Account > API keys & tokens.",
        keywords: &["SK"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>SK[0-9a-f]{32})\b",
        check: Check::Verify(twilio_key),
    },
    Rule {
        id: "twilio-auth-token",
        description: "Twilio auth token",
        help: "A Twilio account auth token (32 hex digits next to a Twilio name): it signs API calls as the whole account. Rotate it in the Twilio Console under Account > API keys & tokens > Auth tokens (request a secondary token, promote it).",
        keywords: &["twilio"],
        case_sensitive: false,
        pattern: near!("twilio", "[0-9a-f]{32}"),
        check: Check::Verify(random),
    },
    Rule {
        id: "sendgrid-api-token",
        description: "SendGrid API key",
        help: "A Twilio SendGrid API key (SG.<id>.<secret>): it sends mail as the account and, with full access, manages it. Delete it under Settings > API Keys in the SendGrid app.",
        keywords: &["SG."],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Verify(sendgrid),
    },
    Rule {
        id: "mailgun-private-api-token",
        description: "Mailgun API key",
        help: "A Mailgun private API key (key-<hex> or <hex>-<hex>-<hex> next to a Mailgun name): it sends mail and manages the domains of the account. Delete it in the Mailgun dashboard under API Security (or the domain's Sending keys).",
        keywords: &["mailgun"],
        case_sensitive: false,
        pattern: near!(
            "mailgun",
            "key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}",
            "A-Za-z0-9_-"
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "mailchimp-api-key",
        description: "Mailchimp API key",
        help: "A Mailchimp Marketing API key (32 hex digits and the data centre, -us12): it reads and changes audiences and campaigns. Disable it under Profile > Extras > API keys.",
        keywords: &["-us"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>[0-9a-f]{32}-us[0-9]{1,2})\b",
        check: Check::Verify(random),
    },
    Rule {
        id: "postmark-api-token",
        description: "Postmark server or account token",
        help: "A Postmark server or account API token (a UUID next to a Postmark name): it sends mail as the server or manages the account. Regenerate it in Postmark under the server's API Tokens tab (or Account > API Tokens).",
        keywords: &["postmark"],
        case_sensitive: false,
        pattern: near!(
            r"postmark[a-z0-9_.-]{0,20}(?:key|token|secret)",
            uuid!(),
            "A-Za-z0-9_-"
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "sendinblue-api-token",
        description: "Brevo (Sendinblue) API or SMTP key",
        help: "A Brevo (formerly Sendinblue) API key (xkeysib-) or SMTP key (xsmtpsib-): it sends mail and reads contacts for the account. Delete it in Brevo under SMTP & API > API Keys (or SMTP).",
        keywords: &["xkeysib-", "xsmtpsib-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>x(?:keysib|smtpsib)-[0-9a-f]{64}-[A-Za-z0-9]{16})\b",
        check: Check::Verify(random),
    },
    Rule {
        id: "resend-api-key",
        description: "Resend API key",
        help: "A Resend API key (re_ next to a Resend name): it sends mail from the account's domains. Delete it in the Resend dashboard under API Keys.",
        keywords: &["resend"],
        case_sensitive: false,
        pattern: near!("resend", "re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}"),
        check: Check::Verify(resend),
    },
    Rule {
        id: "zendesk-secret-key",
        description: "Zendesk API token",
        help: "A Zendesk API token (40 characters next to a Zendesk name): with an agent's e-mail it calls the API as that agent. Delete it in Admin Center > Apps and integrations > Zendesk API.",
        keywords: &["zendesk"],
        case_sensitive: false,
        pattern: near!("zendesk", "[A-Za-z0-9]{40}"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "intercom-api-key",
        description: "Intercom access token",
        help: "An Intercom access token (base64 of `tok:`..., dG9rO...): it reads and changes the workspace's contacts and conversations. Revoke it in the Developer Hub under your app > Authentication (regenerate the token).",
        keywords: &["dG9rO"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>dG9rO[A-Za-z0-9+/]{40,120}={0,2})(?:[^A-Za-z0-9+/=]|$)",
        check: Check::Verify(intercom),
    },
    Rule {
        id: "pagerduty-api-key",
        description: "PagerDuty API or integration key",
        help: "A PagerDuty REST API key (20 characters) or Events integration key (32 hex digits) next to a PagerDuty name: it reads and changes incidents and schedules, or triggers incidents. Delete it under Integrations > API Access Keys (or the service's integration).",
        keywords: &["pagerduty"],
        case_sensitive: false,
        pattern: near!(
            "pagerduty",
            "[A-Za-z0-9_+-]{20}|[0-9a-f]{32}",
            "A-Za-z0-9_+-"
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "opsgenie-api-key",
        description: "Opsgenie API key",
        help: "An Opsgenie API key (a UUID next to an Opsgenie name): it creates and closes alerts and reads on-call data. Delete it in Opsgenie under Settings > API key management (or the integration's page).",
        keywords: &["opsgenie"],
        case_sensitive: false,
        pattern: near!(
            r"opsgenie[a-z0-9_.-]{0,20}(?:key|token|secret)|geniekey",
            uuid!(),
            "A-Za-z0-9_-"
        ),
        check: Check::Verify(random),
    },
    Rule {
        id: "facebook-page-access-token",
        description: "Meta (Facebook) access token",
        help: "A Meta Graph API access token (EAA...): it acts as the user, page or app it was issued to. Invalidate it by changing the app secret or removing the app's access under Settings > Business Integrations, and check the token in the Access Token Debugger.",
        keywords: &["EAA"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>EAA[B-Z][A-Za-z0-9]{90,400})\b",
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "facebook-secret",
        description: "Meta (Facebook) app secret",
        help: "A Meta app secret (32 hex digits next to a Facebook name): it signs app access tokens and server calls. Reset it in the App Dashboard under App settings > Basic > App secret.",
        keywords: &["facebook"],
        case_sensitive: false,
        pattern: near!(r"facebook[a-z0-9_.-]{0,20}secret", "[0-9a-f]{32}"),
        check: Check::Verify(random),
    },
    Rule {
        id: "twitter-bearer-token",
        description: "X (Twitter) app bearer token",
        help: "An X (Twitter) API app-only bearer token: it reads the API as the app. Regenerate it in the developer portal under your app > Keys and tokens, which invalidates it.",
        keywords: &["AAAAAAAAAAAAAAAAAAAAA"],
        case_sensitive: true,
        pattern: r"(?-u)(?:^|[^A-Za-z0-9+/%])(?P<secret>A{21,22}[A-Za-z0-9%]{70,100})(?:[^A-Za-z0-9%+/=]|$)",
        check: Check::Verify(twitter_bearer),
    },
    Rule {
        id: "twitter-access-secret",
        description: "X (Twitter) API secret or access token",
        help: "An X (Twitter) consumer secret (50 characters) or user access token (<user id>-<40 characters>) next to a Twitter name: it signs API calls as the app or user. Regenerate it in the developer portal under your app > Keys and tokens.",
        keywords: &["twitter"],
        case_sensitive: false,
        pattern: near!(
            "twitter",
            "[A-Za-z0-9]{50}|[0-9]{6,20}-[A-Za-z0-9]{40}",
            "A-Za-z0-9_-"
        ),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "dropbox-short-lived-api-token",
        description: "Dropbox access token",
        help: "A Dropbox OAuth access token (sl.): it reads and writes the files the app may reach. Revoke it with the `/2/auth/token/revoke` endpoint, or disconnect the app under Settings > Connected apps.",
        keywords: &["sl."],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>sl\.(?:u\.)?[A-Za-z0-9_-]{130,1400})(?:[^A-Za-z0-9_.-]|$)",
        check: Check::Verify(dropbox),
    },
    Rule {
        id: "dropbox-long-lived-api-token",
        description: "Dropbox long-lived access token",
        help: "A legacy long-lived Dropbox access token (next to a Dropbox name): it reads and writes the files the app may reach until revoked. Revoke it with `/2/auth/token/revoke` or disconnect the app under Settings > Connected apps.",
        keywords: &["dropbox"],
        case_sensitive: false,
        pattern: near!(
            "dropbox",
            "[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=-]{43}",
            "A-Za-z0-9_=-"
        ),
        check: Check::Verify(dropbox_long),
    },
    Rule {
        id: "twitch-api-token",
        description: "Twitch OAuth token or client secret",
        help: "A Twitch OAuth access token or client secret (30 characters next to a Twitch name): it calls the Helix API as the user or app. Revoke it with `POST https://id.twitch.tv/oauth2/revoke`, or create a new client secret in the developer console.",
        keywords: &["twitch"],
        case_sensitive: false,
        pattern: near!(
            r"twitch[a-z0-9_.-]{0,20}(?:secret|token|oauth)",
            "[a-z0-9]{30}"
        ),
        check: Check::Verify(twitch),
    },
];

/// The part after a token's last `-`, random.
fn slack_tail(text: &str) -> bool {
    text.rsplit('-').next().is_some_and(random_body)
}

/// A webhook URL's last path segment, random.
fn webhook_tail(text: &str) -> bool {
    text.rsplit('/').next().is_some_and(random_body)
}

/// A Teams webhook's 32-hex segment, random.
fn teams_tail(text: &str) -> bool {
    text.split('/')
        .skip_while(|s| *s != "IncomingWebhook")
        .nth(1)
        .is_some_and(random_body)
}

/// [`random`] and [`mixed_case`] together.
fn random_mixed(text: &str) -> bool {
    random(text) && mixed_case(text)
}

/// A Discord bot token's first part is the base64 of the bot's numeric
/// user id (a snowflake of 17 to 20 digits).
fn discord_bot_token(text: &str) -> bool {
    let Some(id) = text.split('.').next() else {
        return false;
    };
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(id.trim_end_matches('='))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id));
    decoded.is_ok_and(|d| (17..=20).contains(&d.len()) && d.iter().all(u8::is_ascii_digit))
        && text.rsplit('.').next().is_some_and(random_body)
}

/// Telegram's documentation examples are refused; the secret after the
/// colon must look random.
fn telegram(text: &str) -> bool {
    !super::noise::is_documented_example(text) && text.split(':').nth(1).is_some_and(random_body)
}

/// A Twilio SID body: 32 hex digits that look random.
fn twilio_key(text: &str) -> bool {
    random_after_prefix(text, 2)
}

/// A SendGrid key's id and secret both look random.
fn sendgrid(text: &str) -> bool {
    text.split('.').skip(1).all(random_body) && mixed_case(text)
}

/// A Resend key's two parts look random.
fn resend(text: &str) -> bool {
    text.split('_').skip(1).all(random_body)
}

/// An Intercom token decodes to `tok:<id>:<n>:<n>` with a random id.
fn intercom(text: &str) -> bool {
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(text) else {
        return false;
    };
    let Some(rest) = decoded.strip_prefix(b"tok:") else {
        return false;
    };
    let rest = String::from_utf8_lossy(rest);
    let mut parts = rest.split(':');
    let (Some(id), Some(a), Some(b), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    id.len() >= 16
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        && number(a)
        && number(b)
        && random_body(id)
}

/// An X bearer token: 21 or 22 `A`s (an app id padded with zeros), then a
/// random URL-encoded body. X's documentation example is refused.
fn twitter_bearer(text: &str) -> bool {
    let body = text.trim_start_matches('A');
    !super::noise::is_documented_example(text)
        && mixed_case(body)
        && super::shannon_entropy(body.as_bytes()) >= 4.0
        && !body.to_ascii_lowercase().contains("xxxx")
}

/// A Dropbox access token body looks random and mixes cases.
fn dropbox(text: &str) -> bool {
    let body = text.trim_start_matches("sl.").trim_start_matches("u.");
    mixed_case(body) && super::shannon_entropy(body.as_bytes()) >= 4.0 && random_body(body)
}

/// A long-lived Dropbox token: random around its run of ten `A`s.
fn dropbox_long(text: &str) -> bool {
    text.len() > 21 && random_body(&text[..11]) && random_body(&text[21..])
}

/// A Twitch token mixes letters and digits and looks random.
fn twitch(text: &str) -> bool {
    random(text)
        && text.bytes().any(|c| c.is_ascii_digit())
        && text.bytes().any(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_bot_tokens_decode_to_a_snowflake() {
        // base64("1171482339271901225") = MTE3MTQ4MjMzOTI3MTkwMTIyNQ
        assert!(discord_bot_token(
            "MTE3MTQ4MjMzOTI3MTkwMTIyNQ.GkR7vX.q8Zt3pLmW2xYcN5bV0dKjH4sFgA9uE1oTiR6"
        ));
        assert!(!discord_bot_token(
            "MTIzYWJjZGVmZ2hpamtsbW5vcA.GkR7vX.q8Zt3pLmW2xYcN5bV0dKjH4sFgA9uE1oTiR6"
        ));
        assert!(!discord_bot_token(
            "MTE3MTQ4MjMzOTI3MTkwMTIyNQ.GkR7vX.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
    }

    #[test]
    fn intercom_tokens_decode_to_tok() {
        let token = base64::engine::general_purpose::STANDARD
            .encode("tok:8f2c41d7_93ab_4e6f_b0c5_7d1e9a2f3b64:1:0");
        assert!(intercom(&token));
        let other = base64::engine::general_purpose::STANDARD
            .encode("tok:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:1:0");
        assert!(!intercom(&other));
        assert!(!intercom("dG9rOjnotbase64!!"));
    }

    #[test]
    fn telegram_documentation_example_is_refused() {
        assert!(!telegram("110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
        assert!(telegram("7482915063:AAF3kq9ZtVxW2mPbR8LcYn4dHs6JgE1uTo0"));
        assert!(!telegram("7482915063:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
    }

    #[test]
    fn twitter_bearer_tokens() {
        assert!(!twitter_bearer(
            "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F"
        ));
        assert!(twitter_bearer(
            "AAAAAAAAAAAAAAAAAAAAAK7q2wEAAAAAx9Rb4mT%2FZp8vLc3Nw6Hy1QdGs5Ej%3Dk2PrVb7YtXu9MnZ4cWa8Lf3Hq0Sg6De1JiOx5BzKr"
        ));
        assert!(!twitter_bearer(
            "AAAAAAAAAAAAAAAAAAAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
    }

    #[test]
    fn webhook_and_slack_tails() {
        assert!(webhook_tail(
            "https://hooks.slack.com/services/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"
        ));
        assert!(!webhook_tail(
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
        ));
        assert!(slack_tail(
            "xoxr-2-48213960571-5839201746-6610934815-3fa8c1e97d02b654"
        ));
        assert!(teams_tail(
            "https://x.webhook.office.com/webhookb2/a@b/IncomingWebhook/9f3a61c0d8e24b7a95c1e06d3f8b2a47/c"
        ));
    }

    #[test]
    fn dropbox_and_twitch() {
        assert!(dropbox_long(
            "k3Jx9QmZt2WAAAAAAAAAAq8Lp4RvN7cYb2XsD5fGh1JkM0nT6wE9uIoP3aS8dF2gH4j"
        ));
        assert!(!dropbox_long(
            "xxxxxxxxxxxAAAAAAAAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
        assert!(twitch("q8v2m5k1z7x4c9b3n6r0t2y5u8w1e4"));
        assert!(!twitch("abcdefabcdefabcdefabcdefabcdef"));
        assert!(!dropbox("sl.xxxxxxxx"));
    }

    #[test]
    fn sendgrid_and_resend() {
        assert!(sendgrid(
            "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"
        ));
        assert!(!sendgrid(
            "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
        assert!(resend("re_Kx7Qm2Zt_9vLpR4wYc8NbH3sD5fGj1Tk6MnA"));
        assert!(!resend("re_12345678_abcdefghijklmnopqrstuvwx"));
    }

    #[test]
    fn twilio_keys() {
        assert!(twilio_key("SK9f3a61c0d8e24b7a95c1e06d3f8b2a47"));
        assert!(!twilio_key("SK00000000000000000000000000000000"));
        assert!(random_mixed("Kx7Qm2Zt9vLpR4wYc8NbH3sD5fGj1Tk6MnA0pQr2"));
        assert!(!random_mixed("kx7qm2zt9vlpr4wyc8nbh3sd5fgj1tk6mna0pqr2"));
    }
}
