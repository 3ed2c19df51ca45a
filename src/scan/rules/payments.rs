//! Payments and commerce providers: Stripe's test, restricted and webhook
//! secrets (its live secret keys are builtin.rs's `stripe-key`), PayPal and
//! Braintree, Square, Shopify, Adyen, Razorpay, Flutterwave, Paystack,
//! Coinbase, Plaid, the shipping APIs (EasyPost, Shippo, Lob), Duffel,
//! GoCardless, Mollie, Checkout.com and Paddle.

use super::parts::uuid;
use super::shape::{mixed_case, random, random_after_prefix, random_body};
use super::{Check, Rule};

/// Payments and commerce formats.
pub static RULES: &[Rule] = &[
    Rule {
        id: "stripe-test-secret-key",
        description: "Stripe test-mode secret key",
        help: "A Stripe test-mode secret key (sk_test_): it reads and changes the account's test data, customers and configuration. Roll it in the Dashboard under Developers > API keys (test mode).",
        keywords: &["sk_test_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>sk_test_[0-9A-Za-z]{24,247})\b",
        check: Check::Verify(stripe),
    },
    Rule {
        id: "stripe-restricted-key",
        description: "Stripe restricted key",
        help: "A Stripe restricted API key (rk_test_, rk_live_): it calls the API with the permissions it was given. Roll or delete it in the Dashboard under Developers > API keys > Restricted keys.",
        keywords: &["rk_test_", "rk_live_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>rk_(?:test|live)_[0-9A-Za-z]{24,247})\b",
        check: Check::Verify(stripe),
    },
    Rule {
        id: "stripe-webhook-secret",
        description: "Stripe or Svix webhook signing secret",
        help: "A webhook signing secret (whsec_, Stripe and Svix-based services): whoever holds it can forge webhook events the endpoint will trust. Roll it on the endpoint's page (Stripe: Developers > Webhooks > Roll secret).",
        keywords: &["whsec_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>whsec_[A-Za-z0-9+/]{32,88}={0,2})(?:[^A-Za-z0-9+/=]|$)",
        check: Check::Verify(webhook_secret),
    },
    Rule {
        id: "braintree-access-token",
        description: "PayPal Braintree access token",
        help: "A PayPal/Braintree access token (access_token$production$...): it takes payments and issues refunds for the merchant. Revoke it in the Braintree Control Panel under Settings > API (or the PayPal developer dashboard) and generate a new one.",
        keywords: &["access_token$production$", "access_token$sandbox$"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>access_token\$(?:production|sandbox)\$[a-z0-9]{16}(?:\$[0-9a-f]{32})?)\b",
        check: Check::Verify(braintree),
    },
    Rule {
        id: "braintree-private-key",
        description: "Braintree private key",
        help: "A Braintree API private key (32 hex digits next to a Braintree name): with its public key it takes payments for the merchant. Delete the key pair in the Control Panel under Settings > API > API Keys.",
        keywords: &["braintree"],
        case_sensitive: false,
        pattern: near!("braintree", "[0-9a-f]{32}"),
        check: Check::Verify(random),
    },
    Rule {
        id: "paypal-client-secret",
        description: "PayPal REST client secret",
        help: "A PayPal REST API client secret (80 characters next to a PayPal name): with the client id it gets access tokens for the app's account. Generate a new secret and delete the old one in the PayPal Developer Dashboard under Apps & Credentials.",
        keywords: &["paypal"],
        case_sensitive: false,
        pattern: near!(
            r"paypal[a-z0-9_.-]{0,20}secret",
            "[A-Za-z0-9_-]{80}",
            "A-Za-z0-9_-"
        ),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "square-access-token",
        description: "Square access token",
        help: "A Square access token (EAAA or legacy sq0atp-): it takes payments and reads the seller's data. Revoke it in the Developer Console under the application's Credentials (replace the personal access token) or with the `RevokeToken` API.",
        keywords: &["EAAA", "sq0atp-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>sq0atp-[A-Za-z0-9_-]{22}|EAAA[A-Za-z0-9_-]{60})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Verify(square),
    },
    Rule {
        id: "square-secret",
        description: "Square OAuth application secret",
        help: "A Square OAuth application secret (sq0csp-): it exchanges authorisation codes for sellers' access tokens. Replace it in the Developer Console under the application's OAuth page.",
        keywords: &["sq0csp-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>sq0csp-[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Verify(after_dash),
    },
    Rule {
        id: "shopify-access-token",
        description: "Shopify Admin API access token",
        help: "A Shopify Admin API access token (shpat_): it reads and changes the shop's products, orders and customers within its scopes. Uninstall the app or rotate the token in the shop admin under Settings > Apps and sales channels > Develop apps.",
        keywords: &["shpat_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>shpat_[a-fA-F0-9]{32})\b",
        check: Check::Verify(shopify),
    },
    Rule {
        id: "shopify-custom-access-token",
        description: "Shopify custom app access token",
        help: "A Shopify custom app access token (shpca_): it calls the Admin API for the shop that installed the app. Uninstall the app or rotate its token in the shop admin or Partner Dashboard.",
        keywords: &["shpca_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>shpca_[a-fA-F0-9]{32})\b",
        check: Check::Verify(shopify),
    },
    Rule {
        id: "shopify-private-app-access-token",
        description: "Shopify private app access token",
        help: "A Shopify private app password/token (shppa_): it calls the Admin API for the shop. Delete the private app in the shop admin under Apps > Manage private apps.",
        keywords: &["shppa_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>shppa_[a-fA-F0-9]{32})\b",
        check: Check::Verify(shopify),
    },
    Rule {
        id: "shopify-shared-secret",
        description: "Shopify app shared secret",
        help: "A Shopify app shared secret (shpss_): it signs OAuth and webhook requests of the app. Rotate the client secret in the Partner Dashboard under the app's API access settings.",
        keywords: &["shpss_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>shpss_[a-fA-F0-9]{32})\b",
        check: Check::Verify(shopify),
    },
    Rule {
        id: "adyen-api-key",
        description: "Adyen API key",
        help: "An Adyen API key (AQE...<base64>==-<base64>=-<suffix>, or AQE<id>.<secret>): it makes payments, refunds and payouts for the merchant account. Revoke it in the Customer Area under Developers > API credentials > the credential > Generate new API key.",
        keywords: &["AQE"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>AQE[A-Za-z0-9+/]{40,200}={0,2}-[A-Za-z0-9+/]{40,60}={0,2}|AQE[a-z0-9]{5,}\.[A-Za-z0-9_=-]{50,80})(?:[^A-Za-z0-9+/=_.]|$)",
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "razorpay-key-id",
        description: "Razorpay API key id",
        help: "A Razorpay API key id (rzp_live_, rzp_test_): with its key secret it charges and refunds for the account, and it names the key to revoke. Regenerate the key in the Razorpay Dashboard under Account & Settings > API Keys.",
        keywords: &["rzp_live_", "rzp_test_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>rzp_(?:live|test)_[A-Za-z0-9]{14})\b",
        check: Check::Verify(razorpay),
    },
    Rule {
        id: "razorpay-key-secret",
        description: "Razorpay API key secret",
        help: "A Razorpay API key secret (24 characters next to a Razorpay name): it authenticates API calls that move money. Regenerate the key in the Razorpay Dashboard under Account & Settings > API Keys.",
        keywords: &["razorpay"],
        case_sensitive: false,
        pattern: near!("razorpay", "[A-Za-z0-9]{24}"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "flutterwave-secret-key",
        description: "Flutterwave secret key",
        help: "A Flutterwave secret key (FLWSECK-, FLWSECK_TEST-): it charges, refunds and pays out for the account. Regenerate the API keys in the Flutterwave dashboard under Settings > API.",
        keywords: &["FLWSECK"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>FLWSECK(?:_TEST)?-[0-9a-f]{32}-X)\b",
        check: Check::Verify(flutterwave),
    },
    Rule {
        id: "flutterwave-encryption-key",
        description: "Flutterwave encryption key",
        help: "A Flutterwave encryption key (FLWSECK + 12 hex digits): it encrypts card payloads for the direct-charge API. Regenerate the API keys in the Flutterwave dashboard under Settings > API.",
        keywords: &["FLWSECK"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>FLWSECK(?:_TEST)?[0-9a-f]{12})\b",
        check: Check::Verify(flutterwave),
    },
    Rule {
        id: "paystack-secret-key",
        description: "Paystack secret key",
        help: "A Paystack secret key (sk_live_/sk_test_ + 40 hex digits): it charges, refunds and transfers for the business. Generate new keys in the Paystack dashboard under Settings > API Keys & Webhooks.",
        keywords: &["sk_test_", "sk_live_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>sk_(?:live|test)_[0-9a-f]{40})\b",
        check: Check::Verify(paystack),
    },
    Rule {
        id: "coinbase-access-token",
        description: "Coinbase API secret or access token",
        help: "A Coinbase API secret or OAuth token (64 characters next to a Coinbase name): it trades and moves funds within its permissions. Delete the API key under Settings > API (or the CDP portal) and revoke the OAuth grant.",
        keywords: &["coinbase"],
        case_sensitive: false,
        pattern: near!("coinbase", "[A-Za-z0-9_-]{64}", "A-Za-z0-9_-"),
        check: Check::Verify(random_mixed),
    },
    Rule {
        id: "plaid-api-token",
        description: "Plaid access token",
        help: "A Plaid access token (access-production-<uuid>): it reads the linked bank account's data. Remove the Item with `/item/remove` (or rotate it with `/item/access_token/invalidate`).",
        keywords: &[
            "access-sandbox-",
            "access-development-",
            "access-production-",
        ],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>access-(?:sandbox|development|production)-",
            uuid!(),
            r")\b"
        ),
        check: Check::Verify(plaid_token),
    },
    Rule {
        id: "plaid-secret-key",
        description: "Plaid API secret",
        help: "A Plaid API secret (30 hex digits next to a Plaid name): with the client id it calls Plaid for every linked Item. Rotate it in the Plaid Dashboard under Developers > Keys.",
        keywords: &["plaid"],
        case_sensitive: false,
        pattern: near!("plaid", "[0-9a-f]{30}"),
        check: Check::Verify(random),
    },
    Rule {
        id: "easypost-api-token",
        description: "EasyPost production API key",
        help: "An EasyPost production API key (EZAK): it buys postage and reads shipments for the account. Delete it in the EasyPost dashboard under Account Settings > API Keys.",
        keywords: &["EZAK"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>EZAK[A-Za-z0-9]{54})\b",
        check: Check::Verify(easypost),
    },
    Rule {
        id: "easypost-test-api-token",
        description: "EasyPost test API key",
        help: "An EasyPost test API key (EZTK): it calls the test environment of the account. Delete it in the EasyPost dashboard under Account Settings > API Keys.",
        keywords: &["EZTK"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>EZTK[A-Za-z0-9]{54})\b",
        check: Check::Verify(easypost),
    },
    Rule {
        id: "shippo-api-token",
        description: "Shippo API token",
        help: "A Shippo API token (shippo_live_, shippo_test_): it buys labels and reads shipments for the account. Delete it in the Shippo app under Settings > API.",
        keywords: &["shippo_live_", "shippo_test_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>shippo_(?:live|test)_[0-9a-f]{40})\b",
        check: Check::Verify(after_last_underscore),
    },
    Rule {
        id: "duffel-api-token",
        description: "Duffel API token",
        help: "A Duffel access token (duffel_live_, duffel_test_): it searches and books flights on the account. Delete it in the Duffel dashboard under Developers > Access tokens.",
        keywords: &["duffel_live_", "duffel_test_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>duffel_(?:live|test)_[A-Za-z0-9_=-]{43})(?:[^A-Za-z0-9_=-]|$)",
        check: Check::Verify(duffel),
    },
    Rule {
        id: "lob-api-key",
        description: "Lob secret API key",
        help: "A Lob secret API key (live_/test_ + 35 hex digits next to a Lob name): it sends mail and verifies addresses on the account. Roll it in the Lob dashboard under Settings > API Keys.",
        keywords: &["lob_", "lob-", "lob.", "lobapi", "lobkey"],
        case_sensitive: false,
        pattern: near!(
            r"\blob[_.-]?(?:api|key|secret|live|test|token)",
            "(?:live|test)_[0-9a-f]{35}"
        ),
        check: Check::Verify(after_last_underscore),
    },
    Rule {
        id: "gocardless-api-token",
        description: "GoCardless access token",
        help: "A GoCardless access token (live_ or sandbox_ next to a GoCardless name): it creates mandates and collects payments. Revoke it in the GoCardless dashboard under Developers > Create > Access token (disable the old one).",
        keywords: &["gocardless"],
        case_sensitive: false,
        pattern: near!(
            "gocardless",
            "(?:live|sandbox)_[A-Za-z0-9_=-]{40}",
            "A-Za-z0-9_=-"
        ),
        check: Check::Verify(after_first_underscore),
    },
    Rule {
        id: "mollie-api-key",
        description: "Mollie API key or access token",
        help: "A Mollie API key (live_/test_ + 30 characters) or organisation access token (access_) next to a Mollie name: it creates payments and refunds. Reset it in the Mollie dashboard under Developers > API keys (or Organization access tokens).",
        keywords: &["mollie"],
        case_sensitive: false,
        pattern: near!(
            "mollie",
            "(?:live|test)_[A-Za-z0-9]{30}|access_[A-Za-z0-9]{40}"
        ),
        check: Check::Verify(after_first_underscore),
    },
    Rule {
        id: "checkout-secret-key",
        description: "Checkout.com secret key",
        help: "A Checkout.com secret API key (sk_sbox_, or sk_test_ with a UUID): it takes payments and refunds for the account. Delete it in the Checkout.com Dashboard under Developers > Keys.",
        keywords: &["sk_sbox_", "sk_test_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>sk_sbox_[a-z0-9]{26}|sk_test_",
            uuid!(),
            r")\b"
        ),
        check: Check::Verify(checkout),
    },
    Rule {
        id: "paddle-api-key",
        description: "Paddle Billing API key",
        help: "A Paddle Billing API key (pdl_live_apikey_, pdl_sdbx_apikey_): it manages the seller's products, customers and subscriptions. Revoke it in Paddle under Developer tools > Authentication.",
        keywords: &["pdl_live_apikey_", "pdl_sdbx_apikey_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>pdl_(?:live|sdbx)_apikey_[A-Za-z0-9_]{40,80})\b",
        check: Check::Verify(paddle),
    },
];

/// A Stripe key: base62 (mixed case), random, not a documentation key
/// (Paystack's keys, lower-case hex, are `paystack-secret-key`).
fn stripe(text: &str) -> bool {
    !super::noise::is_documented_example(text) && random_mixed(after_prefix(text, 8))
}

/// The text after the first `len` bytes, or nothing.
fn after_prefix(text: &str, len: usize) -> &str {
    text.get(len..).unwrap_or("")
}

/// [`random`] and [`mixed_case`] together.
fn random_mixed(text: &str) -> bool {
    random(text) && mixed_case(text)
}

/// A webhook secret body looks random.
fn webhook_secret(text: &str) -> bool {
    random_after_prefix(text, 6) && mixed_case(after_prefix(text, 6))
}

/// Each `$` part after the environment looks random.
fn braintree(text: &str) -> bool {
    text.split('$').skip(2).all(random_body)
}

/// Square tokens: `sq0atp-` bodies random, `EAAA` ones mixed-case too.
fn square(text: &str) -> bool {
    match text.strip_prefix("EAAA") {
        Some(body) => random_mixed(body),
        None => after_dash(text),
    }
}

/// The part after the first `-` looks random.
fn after_dash(text: &str) -> bool {
    text.split_once('-').is_some_and(|(_, b)| random_body(b))
}

/// The part after the first `_` looks random.
fn after_first_underscore(text: &str) -> bool {
    text.split_once('_').is_some_and(|(_, b)| random_body(b))
}

/// The part after the last `_` looks random.
fn after_last_underscore(text: &str) -> bool {
    text.rsplit('_').next().is_some_and(random_body)
}

/// A Shopify token's 32 hex digits look random.
fn shopify(text: &str) -> bool {
    random_after_prefix(text, 6)
}

/// A Razorpay key id's 14 characters look random; Razorpay's demo key
/// from its documentation and sample apps is refused.
fn razorpay(text: &str) -> bool {
    text != "rzp_test_1DP5mmOlF5G5ag"
        && after_last_underscore(text)
        && mixed_case(text.rsplit('_').next().unwrap_or(""))
}

/// A Flutterwave key's hex digits look random.
fn flutterwave(text: &str) -> bool {
    let body = text
        .trim_start_matches("FLWSECK")
        .trim_start_matches("_TEST")
        .trim_start_matches('-')
        .trim_end_matches("-X");
    random_body(body)
}

/// A Paystack key's 40 hex digits look random.
fn paystack(text: &str) -> bool {
    after_last_underscore(text)
}

/// A Plaid token's UUID looks random.
fn plaid_token(text: &str) -> bool {
    text.splitn(3, '-').nth(2).is_some_and(random_body)
}

/// An EasyPost key's body is random base62.
fn easypost(text: &str) -> bool {
    random_mixed(after_prefix(text, 4))
}

/// A Duffel token's body looks random.
fn duffel(text: &str) -> bool {
    random_body(after_prefix(text, 12))
}

/// A Checkout.com key's body looks random.
fn checkout(text: &str) -> bool {
    random_body(after_prefix(text, 8))
}

/// A Paddle key's body looks random.
fn paddle(text: &str) -> bool {
    random_body(after_prefix(text, 16))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripe_documentation_keys_are_refused() {
        assert!(!stripe("sk_test_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(stripe("sk_test_51Hq8ZtK3vR2mWpL9xYc4NbD7sF0gJ6kT1uE5aQ"));
        assert!(!stripe("sk_test_0123456789abcdef0123456789abcdef01234567"));
        assert!(!stripe("sk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
    }

    #[test]
    fn square_and_braintree() {
        assert!(square(
            "EAAAl7Kx2QmZt9WvLp4RcN8bY3sD5fGh1JkM0nT6wE9uIoP3aS8dF2gH4jK7lQz1xC5v"
        ));
        assert!(!square(
            "EAAA0123ABCD4567EF890123ABCD4567EF890123ABCD4567EF890123ABCD4567"
        ));
        assert!(square("sq0atp-q7Rw2ZkP9vYt4LmX8cNb3H"));
        assert!(braintree(
            "access_token$production$k3jx9qmzt2w7v8lp$f3a91c07d2e84b6a9c5d18e7f02b4c6d"
        ));
        assert!(!braintree(
            "access_token$production$xxxxxxxxxxxxxxxx$f3a91c07d2e84b6a9c5d18e7f02b4c6d"
        ));
    }

    #[test]
    fn flutterwave_and_plaid() {
        assert!(flutterwave(
            "FLWSECK_TEST-9f3a61c0d8e24b7a95c1e06d3f8b2a47-X"
        ));
        assert!(!flutterwave(
            "FLWSECK_TEST-00000000000000000000000000000000-X"
        ));
        assert!(flutterwave("FLWSECK_TEST7c2e9a41f0b3"));
        assert!(plaid_token(
            "access-sandbox-8c1d4f2a-73be-4e09-a5d6-2f9b0c7e1a34"
        ));
        assert!(!plaid_token(
            "access-sandbox-00000000-0000-0000-0000-000000000000"
        ));
    }

    #[test]
    fn shopify_easypost_razorpay() {
        assert!(shopify("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"));
        assert!(!shopify("shpat_ffffffffffffffffffffffffffffffff"));
        assert!(easypost(
            "EZAKq7Rw2ZkP9vYt4LmX8cNb3HsD5fGh1JkM0nT6wE9uIoP3aS8dF2gH4j"
        ));
        assert!(razorpay("rzp_live_K7qLx2ZmW9vPt4"));
        assert!(!razorpay("rzp_live_xxxxxxxxxxxxxx"));
        assert!(!razorpay("rzp_test_1DP5mmOlF5G5ag"));
    }

    #[test]
    fn bodies_after_prefixes() {
        assert!(webhook_secret("whsec_Kx7Qm2Zt9vLpR4wYc8NbH3sD5fGj1Tk6"));
        assert!(!webhook_secret("whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(after_dash(
            "sq0csp-q7Rw2ZkP9vYt4LmX8cNb3HsD5fGh1JkM0nT6wE9uIoP"
        ));
        assert!(!after_dash("sq0csp-your-application-secret"));
        assert!(after_first_underscore(
            "live_gSf8O5Pv3O-rztIijxgowAOGI4kRw7tlPpko8kiS"
        ));
        assert!(!after_first_underscore("sandbox_your_access_token"));
        assert!(after_last_underscore(
            "shippo_live_9f3a61c0d8e24b7a95c1e06d3f8b2a47c5d18e7f"
        ));
        assert!(!after_last_underscore(
            "shippo_live_0000000000000000000000000000000000000000"
        ));
        assert!(paystack("sk_test_9f3a61c0d8e24b7a95c1e06d3f8b2a47c5d18e7f"));
        assert!(!paystack(
            "sk_test_0123456789abcdef0123456789abcdef01234567"
        ));
        assert!(duffel(
            "duffel_test_Kx7Qm2Zt9vLpR4wYc8NbH3sD5fGj1Tk6MnA0pQr2StU"
        ));
        assert!(!duffel(
            "duffel_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
        assert!(checkout("sk_sbox_k3jx9qmzt2w7v8lpr4c6nb5h1d"));
        assert!(!checkout("sk_sbox_00000000000000000000000000"));
        assert!(paddle(
            "pdl_live_apikey_01gtgztp8fkq2wd9m3x7v4r6yb_Kx7Qm2Zt9vLpR4wYc8NbH3_a1B"
        ));
        assert!(!paddle(
            "pdl_live_apikey_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
    }
}
