//! The service's errors: a `__type` code, a message and an HTTP status, as
//! the API reference documents them (client code matches on the code).

use serde_json::json;

/// One error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The error code, e.g. `ResourceNotFoundException`.
    pub code: &'static str,
    /// The message (never a secret value).
    pub message: String,
    /// The HTTP status (400 for client errors, 500 for the service's own).
    pub status: u16,
}

impl ApiError {
    /// Builds a client error (HTTP 400).
    pub fn client(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            status: 400,
        }
    }

    /// `InvalidParameterException`: a parameter value is not valid.
    pub fn invalid_parameter(message: impl Into<String>) -> ApiError {
        ApiError::client("InvalidParameterException", message)
    }

    /// `InvalidRequestException`: the request is not valid for the
    /// secret's current state.
    pub fn invalid_request(message: impl Into<String>) -> ApiError {
        ApiError::client("InvalidRequestException", message)
    }

    /// `ResourceNotFoundException`.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::client("ResourceNotFoundException", message)
    }

    /// `ResourceExistsException`.
    pub fn exists(message: impl Into<String>) -> ApiError {
        ApiError::client("ResourceExistsException", message)
    }

    /// `AccessDeniedException`.
    pub fn access_denied(message: impl Into<String>) -> ApiError {
        ApiError::client("AccessDeniedException", message)
    }

    /// `InternalServiceError` (HTTP 500).
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            code: "InternalServiceError",
            message: message.into(),
            status: 500,
        }
    }

    /// The JSON body of the answer.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&json!({ "__type": self.code, "Message": self.message }))
            .unwrap_or_default()
    }
}

impl From<crate::Error> for ApiError {
    /// Maps sm's errors onto the service's. Messages are sm's own (they
    /// never hold a value); integrity failures are the service's internal
    /// error, so a client retries nothing it should not.
    fn from(error: crate::Error) -> ApiError {
        use crate::Error as E;
        let message = error.to_string();
        match error {
            E::InvalidInput { .. } => ApiError::invalid_parameter(message),
            E::NotFound { .. } => ApiError::not_found(message),
            E::NoAccess { .. } => ApiError::access_denied(message),
            E::Conflict { .. } => ApiError::invalid_request(message),
            E::RotationFailed { .. } => ApiError::invalid_request(message),
            E::Integrity { .. } | E::Io { .. } | E::Other(_) => ApiError::internal(message),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> ApiError {
        match error.downcast::<crate::Error>() {
            Ok(typed) => typed.into(),
            Err(other) => ApiError::internal(format!("{other:#}")),
        }
    }
}
