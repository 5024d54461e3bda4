//! Answers in the service's format: JSON bodies, and errors as
//! `{"error_code": "...", "error_msg": "..."}` with the codes of api/NOTES.md.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// The code of the emulator's own 404 for an unknown order (the pay call).
pub const ORDER_NOT_FOUND: &str = "EMU.0404";

/// The code of the 409 for a PATCH of a pool that is not `Running`,
/// `ScalingFailed` or `Abnormal`: the emulator's choice (the references
/// name none), in the family of the pool codes (`ModelArts.50015xxx`).
pub const POOL_BUSY: &str = "ModelArts.50015003";

/// A refusal, with its HTTP status and the service's error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub msg: String,
    /// `Retry-After` seconds (429 only).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, msg: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            msg: msg.into(),
            retry_after: None,
        }
    }

    /// 400 `ModelArts.50004000` "Bad request: <reason>".
    pub fn bad_request(reason: impl AsRef<str>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "ModelArts.50004000",
            format!("Bad request: {}", reason.as_ref()),
        )
    }

    pub fn pool_not_found(name: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ModelArts.50015001",
            format!("Pool {} not found.", shorten(name)),
        )
    }

    pub fn pool_exists() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "ModelArts.50015000",
            "Pool already exists.",
        )
    }

    /// 409 [`POOL_BUSY`]: the pool `label` is `phase`, in which it cannot
    /// be changed.
    pub fn pool_busy(label: &str, phase: &str) -> Self {
        use crate::model::phase as p;
        let why = match phase {
            p::CREATING | p::WAITING => "it can be changed once it is Running",
            p::DELETING => "it cannot be changed any more",
            _ => "it cannot be changed: delete it and create a new pool",
        };
        Self::new(
            StatusCode::CONFLICT,
            POOL_BUSY,
            format!("pool {} is {phase}; {why}", shorten(label)),
        )
    }

    /// 415, for a PATCH that is not a JSON merge patch.
    pub fn unsupported_media_type(msg: String) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "ModelArts.50004000",
            msg,
        )
    }

    pub fn network_not_found(name: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ModelArts.50025001",
            format!("network {} does not exist", shorten(name)),
        )
    }

    pub fn flavor_not_found(name: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ModelArts.50005101",
            format!("resource flavor {} not found", shorten(name)),
        )
    }

    /// An emulator answer (the pay call is the emulator's own): no pool
    /// has this order.
    pub fn order_not_found(order_id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ORDER_NOT_FOUND,
            format!("order {} not found", shorten(order_id)),
        )
    }

    /// The path's project is not the caller's (an emulator choice; see docs/emulator.md).
    pub fn project_mismatch(project_id: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "APIG.0302",
            format!(
                "The IAM user is not authorized to access the API: project {} is not the project of these credentials",
                shorten(project_id)
            ),
        )
    }

    pub fn api_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "APIG.0101",
            "The API does not exist or has not been published in the environment.",
        )
    }

    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "APIG.0201",
            "Request entity too large.",
        )
    }

    /// 408, an emulator answer (the references name no code for it): the
    /// body did not arrive within the body-read timeout.
    pub fn body_timeout(limit: std::time::Duration) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "ModelArts.50004000",
            format!(
                "Bad request: the request body did not arrive within {}",
                crate::duration::format_duration(limit)
            ),
        )
    }

    /// 408, an emulator answer: the body was still coming when every
    /// connection was busy, and its read was cut to make room for a new one.
    pub fn body_cut(max_connections: usize) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "ModelArts.50004000",
            format!(
                "Bad request: the request body was not all in after {} and all {max_connections} \
                 connections were busy: its read was cut to make room for a new connection",
                crate::duration::format_duration(super::BODY_SHED_AFTER)
            ),
        )
    }

    pub fn throttled(retry_after: Option<u64>) -> Self {
        ApiError {
            retry_after,
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "APIG.0308",
                "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute",
            )
        }
    }

    /// An injected 5xx, with the body a real one carries.
    pub fn server_error(status: u16) -> Self {
        match status {
            502 => Self::new(StatusCode::BAD_GATEWAY, "APIG.0202", "Backend unavailable."),
            503 => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "APIG.0202",
                "Backend unavailable.",
            ),
            504 => Self::new(StatusCode::GATEWAY_TIMEOUT, "APIG.0203", "Backend timeout."),
            _ => Self::internal("Internal error."),
        }
    }

    /// 500 `ModelArts.50005000`.
    pub fn internal(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "ModelArts.50005000", msg)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = json(
            self.status,
            &json!({"error_code": self.code, "error_msg": self.msg}),
        );
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

pub fn json(status: StatusCode, value: &Value) -> Response {
    // A `Value` always serialises.
    let body = serde_json::to_vec(value).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body,
    )
        .into_response()
}

/// Client-supplied text echoed in a message, cut so a huge value cannot
/// balloon the answer.
pub fn shorten(s: &str) -> String {
    const MAX: usize = 64;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}
