//! AI and ML platforms: model API keys (OpenAI, Anthropic, Hugging Face,
//! Groq, Replicate, Perplexity, xAI, OpenRouter...), tracing and vector
//! stores (LangSmith, Langfuse, Pinecone, Weights & Biases). Prefixed
//! formats match bare; the plain hex or alphanumeric keys of the others
//! only next to a name that says whose key it is.

use super::parts::{end, named, plausible, uuid};
use super::{Check, Rule};

/// A generated token body: no placeholder shape.
fn body(token: &str) -> bool {
    plausible(token)
}

/// OpenAI keys: project, service-account and admin keys carry the
/// `T3BlbkFJ` marker (base64 of "OpenAI") or a long random body.
fn openai(token: &str) -> bool {
    let rest = token.splitn(3, '-').nth(2).unwrap_or(token);
    plausible(rest) && super::parts::mixed(rest)
}

/// Hugging Face tokens are letters only, in both cases.
fn huggingface(token: &str) -> bool {
    let rest = token.rsplit('_').next().unwrap_or(token);
    plausible(rest)
        && rest.bytes().any(|c| c.is_ascii_uppercase())
        && rest.bytes().any(|c| c.is_ascii_lowercase())
}

/// AI platform formats.
pub static RULES: &[Rule] = &[
    Rule {
        id: "openai-api-key",
        description: "OpenAI API key",
        help: "An OpenAI API key (sk-proj- project keys, sk-svcacct- service-account keys, sk-admin- admin keys, or a legacy sk-...T3BlbkFJ... user key): it bills model calls to the organisation and, for admin keys, manages its users and keys. Delete it on platform.openai.com under API keys (admin keys under Organization > Admin keys) and create a new one.",
        keywords: &[
            "sk-proj-",
            "sk-svcacct-",
            "sk-svc-",
            "sk-admin-",
            "T3BlbkFJ",
        ],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>sk-(?:proj|svcacct|svc|admin)-[A-Za-z0-9_-]{40,250}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
            end!()
        ),
        check: Check::Verify(openai),
    },
    Rule {
        id: "anthropic-api-key",
        description: "Anthropic API key",
        help: "An Anthropic API key (sk-ant-api03-): it bills Claude API calls to its workspace. Delete it in the Anthropic Console under Settings > API keys; keys found in public GitHub repositories are revoked automatically.",
        keywords: &["sk-ant-api03-"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>sk-ant-api03-[A-Za-z0-9_-]{93}AA)",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "anthropic-admin-api-key",
        description: "Anthropic Admin API key",
        help: "An Anthropic Admin API key (sk-ant-admin01-): it manages the organisation's members, workspaces and API keys. Delete it in the Anthropic Console under Settings > Admin keys.",
        keywords: &["sk-ant-admin01-"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>sk-ant-admin01-[A-Za-z0-9_-]{93}AA)",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "huggingface-access-token",
        description: "Hugging Face access token",
        help: "A Hugging Face user access token (hf_): it reads, and with write scope pushes, models, datasets and Spaces as its user. Invalidate it on huggingface.co under Settings > Access Tokens.",
        keywords: &["hf_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>hf_[A-Za-z]{34})", end!()),
        check: Check::Verify(huggingface),
    },
    Rule {
        id: "huggingface-organization-api-token",
        description: "Hugging Face organization API token",
        help: "A legacy Hugging Face organization API token (api_org_): it acts for the whole organization. Regenerate it in the organization's settings on huggingface.co.",
        keywords: &["api_org_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>api_org_[A-Za-z]{34})", end!()),
        check: Check::Verify(huggingface),
    },
    Rule {
        id: "groq-api-key",
        description: "Groq API key",
        help: "A Groq API key (gsk_): it bills inference on GroqCloud to its organisation. Delete it in the GroqCloud console under API Keys.",
        keywords: &["gsk_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>gsk_[A-Za-z0-9]{52})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "replicate-api-token",
        description: "Replicate API token",
        help: "A Replicate API token (r8_): it runs and bills models, and manages deployments, as its account. Revoke it on replicate.com under Account settings > API tokens.",
        keywords: &["r8_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>r8_[A-Za-z0-9]{37})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "perplexity-api-key",
        description: "Perplexity API key",
        help: "A Perplexity API key (pplx-): it bills Sonar API calls to its account. Delete it in Perplexity's API settings (API Keys) and generate a new one.",
        keywords: &["pplx-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>pplx-[A-Za-z0-9]{48})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "xai-api-key",
        description: "xAI API key",
        help: "An xAI API key (xai-): it bills Grok API calls to its team. Delete it in the xAI console under API Keys.",
        keywords: &["xai-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>xai-[A-Za-z0-9]{80})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "openrouter-api-key",
        description: "OpenRouter API key",
        help: "An OpenRouter API key (sk-or-v1-): it spends the account's credits on any routed model. Delete it on openrouter.ai under Keys.",
        keywords: &["sk-or-v1-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>sk-or-v1-[0-9a-f]{64})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "langsmith-api-key",
        description: "LangSmith API key",
        help: "A LangSmith personal access token (lsv2_pt_) or service key (lsv2_sk_): it reads and writes the traces, datasets and prompts of its workspace. Delete it in LangSmith under Settings > API Keys.",
        keywords: &["lsv2_pt_", "lsv2_sk_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "pinecone-api-key",
        description: "Pinecone API key",
        help: "A Pinecone API key (pcsk_): it reads, writes and deletes the project's vector indexes. Delete it in the Pinecone console under API Keys.",
        keywords: &["pcsk_"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,80})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "langfuse-secret-key",
        description: "Langfuse secret key",
        help: "A Langfuse secret API key (sk-lf-): with its public key it reads and writes the project's traces and prompts. Delete the key pair in the project's settings under API Keys.",
        keywords: &["sk-lf-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>sk-lf-", uuid!(), ")", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "together-api-key",
        description: "Together AI API key",
        help: "A Together AI API key (tgp_v1_): it bills inference and fine-tuning to its account. Revoke it in the Together dashboard under Settings > API Keys.",
        keywords: &["tgp_v1_"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>tgp_v1_[A-Za-z0-9_-]{43})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "together-api-key-legacy",
        description: "Together AI API key (legacy hex)",
        help: "A legacy Together AI API key (64 hex digits, named for Together): it bills inference and fine-tuning to its account. Revoke it in the Together dashboard under Settings > API Keys.",
        keywords: &["together"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("together"),
            r"(?P<secret>[0-9a-f]{64})",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "cerebras-api-key",
        description: "Cerebras API key",
        help: "A Cerebras Cloud API key (csk-): it bills inference to its account. Delete it in the Cerebras Cloud platform under API Keys.",
        keywords: &["csk-"],
        case_sensitive: true,
        pattern: concat!(r"(?-u)\b(?P<secret>csk-[a-z0-9]{48})", end!()),
        check: Check::Verify(body),
    },
    Rule {
        id: "cohere-api-token",
        description: "Cohere API key",
        help: "A Cohere API key (40 characters, named for Cohere or CO_API_KEY): it bills model calls to its account. Delete it in the Cohere dashboard under API Keys.",
        keywords: &["cohere", "co_api_key", "co.api.key"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("cohere|co[_.]api"),
            r"(?P<secret>(?-i:[A-Za-z0-9]{40}))",
            end!()
        ),
        check: Check::Verify(openai_like),
    },
    Rule {
        id: "mistral-api-key",
        description: "Mistral AI API key",
        help: "A Mistral AI API key (32 characters, named for Mistral): it bills La Plateforme calls to its workspace. Delete it in the Mistral console under API Keys.",
        keywords: &["mistral"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("mistral"),
            r"(?P<secret>(?-i:[A-Za-z0-9]{32}))",
            end!()
        ),
        check: Check::Verify(openai_like),
    },
    Rule {
        id: "deepseek-api-key",
        description: "DeepSeek API key",
        help: "A DeepSeek API key (sk- and 32 hex digits, named for DeepSeek): it spends the account's balance. Delete it on platform.deepseek.com under API keys.",
        keywords: &["deepseek"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("deepseek"),
            r"(?P<secret>(?-i:sk-[0-9a-f]{32}))",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "fireworks-api-key",
        description: "Fireworks AI API key",
        help: "A Fireworks AI API key (fw_, named for Fireworks): it bills inference and fine-tuning to its account. Delete it in the Fireworks dashboard under API Keys or with `firectl delete api-key`.",
        keywords: &["fireworks"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("fireworks"),
            r"(?P<secret>(?-i:fw_[A-Za-z0-9]{20,40}))",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "elevenlabs-api-key",
        description: "ElevenLabs API key",
        help: "An ElevenLabs API key (sk_ and 48 hex digits, or a legacy 32-hex key, named for ElevenLabs or xi-api-key): it spends the account's character quota. Delete it on elevenlabs.io under Developers > API Keys.",
        keywords: &[
            "elevenlabs",
            "eleven_labs",
            "eleven.labs",
            "xi-api",
            "xi_api",
            "xi.api",
        ],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("eleven[_.]?labs|xi[_.-]api"),
            r"(?P<secret>(?-i:sk_[0-9a-f]{48}|[0-9a-f]{32}))",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "deepgram-api-key",
        description: "Deepgram API key",
        help: "A Deepgram API key (40 hex digits, named for Deepgram): it bills transcription to its project. Delete it in the Deepgram console under API Keys.",
        keywords: &["deepgram"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("deepgram"),
            r"(?P<secret>(?-i:[0-9a-f]{40}))",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "assemblyai-api-key",
        description: "AssemblyAI API key",
        help: "An AssemblyAI API key (32 hex digits, named for AssemblyAI): it bills transcription to its account and reads its transcripts. Reset it in the AssemblyAI dashboard under API Keys.",
        keywords: &["assemblyai", "assembly_ai", "assembly.ai"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("assembly[_.]?ai"),
            r"(?P<secret>(?-i:[0-9a-f]{32}))",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "wandb-api-key",
        description: "Weights & Biases API key",
        help: "A Weights & Biases API key (40 hex digits, named for wandb): it logs runs to, and reads artifacts of, its user's projects. Revoke it on wandb.ai under User settings > API keys.",
        keywords: &["wandb"],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!("wandb"),
            r"(?P<secret>(?-i:[0-9a-f]{40}))",
            end!()
        ),
        check: Check::Verify(body),
    },
    Rule {
        id: "azure-openai-api-key",
        description: "Azure OpenAI API key",
        help: "An Azure OpenAI (Azure AI services) resource key (32 hex digits, or 84 characters, named for Azure OpenAI): it bills model calls to the resource. Regenerate Key 1 or Key 2 in the Azure portal under the resource's Keys and Endpoint, or with `az cognitiveservices account keys regenerate`.",
        keywords: &[
            "azure_openai",
            "azureopenai",
            "azure-openai",
            "azure.openai",
            "aoai",
        ],
        case_sensitive: false,
        pattern: concat!(
            "(?-u)",
            named!(r"azure[_.-]?openai|aoai"),
            r"(?P<secret>(?-i:[0-9a-f]{32}|[A-Za-z0-9]{84}))",
            end!()
        ),
        check: Check::Verify(body),
    },
];

/// A plain alphanumeric key: generated, and mixing character classes.
fn openai_like(token: &str) -> bool {
    plausible(token) && super::parts::mixed(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        assert!(openai("sk-proj-Q8zR2mLx0VtN4kCw9PyS7bHd3FjG6aUe1TiO5rYq"));
        assert!(!openai(
            "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
        assert!(huggingface("hf_QmZrTbLwXcVnKsPdYgHjFaEuRoItMxNqWzBv"));
        assert!(!huggingface("hf_abcdefghijklmnopqrstuvwxyzabcdefgh"));
        assert!(!huggingface("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"));
        assert!(openai_like("Q8zR2mLx0VtN4kCw9PyS7bHd3FjG6aUe1TiO5rYq"));
        assert!(!openai_like("qmzrtblwxcvnkspdyghjfaeuroitmxnqwzbvkdls"));
    }
}
