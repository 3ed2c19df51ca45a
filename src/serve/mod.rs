//! `sm serve`: the cloud service's API (JSON 1.1 over HTTP, SigV4 signed,
//! `X-Amz-Target: secretsmanager.<Operation>`) and its caching agent's API,
//! over this store, so code written for the cloud service runs unchanged by
//! setting `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
//!
//! The server acts as the member who started it: [`Backend`] opens the
//! store with that member's identity, verified and fresh, and every call is
//! signed and logged as the command line would, naming the client. The
//! operations ([`api`]) map the service's model onto sm's own: names,
//! versions, staging labels, tags, descriptions and deletion windows.

pub mod agent;
pub mod api;
pub mod backend;
pub mod clients;
pub mod credentials;
pub mod embedded;
pub mod error;
pub mod http;
pub mod keys;
pub mod listen;
pub mod server;
pub mod sigv4;

pub use backend::Backend;
pub use clients::Client;
pub use error::ApiError;
