//! The ECS metadata service's two calls, for the last source of the
//! credential chain (`POOLCTL_METADATA_ENDPOINT=http://127.0.0.1:PORT`):
//!
//! - `PUT /meta-data/latest/api/token` with `X-Metadata-Token-Ttl-Seconds`
//!   (1 to 21600) answers a session token, as text.
//! - `GET /openstack/latest/securitykey` with a live `X-Metadata-Token`
//!   answers new temporary credentials, `{"credential": {"access",
//!   "secret", "securitytoken", "expires_at"}}`, valid for the configured
//!   [`super::Config::metadata_expiry`]; without a live session token, 401.
//!
//! Neither call is signed, as on a real ECS: they are outside the gateway,
//! and faults are not injected into them. The gateway accepts each
//! temporary key, with its security token, until it expires; the keys are
//! kept in memory only (the latest [`MAX_KEYS`]), never in the state file.

use std::collections::VecDeque;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::auth::TempKey;
use super::server::App;
use crate::auth::metadata::{TOKEN_HEADER, TOKEN_TTL_HEADER, TOKEN_TTL_SECS};

/// Temporary keys kept at most; the oldest go first.
pub const MAX_KEYS: usize = 256;
/// Session tokens kept at most; the oldest go first.
pub const MAX_TOKENS: usize = 256;

/// What the metadata service gave out.
#[derive(Debug, Default)]
pub struct Issued {
    /// Session tokens and when they expire (ms since the epoch).
    tokens: VecDeque<(String, u64)>,
    keys: VecDeque<TempKey>,
}

impl Issued {
    /// The temporary keys the gateway accepts at `now_secs`.
    pub fn live_keys(&self, now_secs: u64) -> Vec<TempKey> {
        self.keys
            .iter()
            .filter(|k| k.expires_secs > now_secs)
            .cloned()
            .collect()
    }

    fn token_is_live(&self, token: &str, now_ms: u64) -> bool {
        self.tokens.iter().any(|(t, expires)| {
            *expires > now_ms
                && crate::auth::signer::constant_time_eq(t.as_bytes(), token.as_bytes())
        })
    }
}

fn text(status: StatusCode, body: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

fn lock(app: &App) -> std::sync::MutexGuard<'_, Issued> {
    app.issued.lock().unwrap_or_else(|p| p.into_inner())
}

/// `PUT /meta-data/latest/api/token`.
pub async fn session_token(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let ttl = headers
        .get(TOKEN_TTL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|t| (1..=TOKEN_TTL_SECS).contains(t));
    let Some(ttl) = ttl else {
        return text(
            StatusCode::BAD_REQUEST,
            &format!(
                "{TOKEN_TTL_HEADER} must be a whole number of seconds from 1 to {TOKEN_TTL_SECS}"
            ),
        );
    };
    let token = format!("emu-mt-{}", super::server::lock_ids(&app).hex(48));
    let now = super::server::now_ms();
    let mut issued = lock(&app);
    issued.tokens.retain(|(_, expires)| *expires > now);
    if issued.tokens.len() >= MAX_TOKENS {
        issued.tokens.pop_front();
    }
    issued.tokens.push_back((token.clone(), now + ttl * 1000));
    text(StatusCode::OK, &token)
}

/// `GET /openstack/latest/securitykey`.
pub async fn security_key(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let now = super::server::now_ms();
    let token = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok());
    if !token.is_some_and(|t| lock(&app).token_is_live(t.trim(), now)) {
        return text(
            StatusCode::UNAUTHORIZED,
            &format!(
                "Unauthorized: a live {TOKEN_HEADER} is required (PUT /meta-data/latest/api/token)"
            ),
        );
    }
    let (ak, sk, security_token) = {
        let mut ids = super::server::lock_ids(&app);
        (
            format!("EMUTMP{}", ids.string(b"0123456789ABCDEF", 14)),
            ids.string(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                40,
            ),
            format!("emu-st-{}", ids.hex(96)),
        )
    };
    let expires_ms = now + app.config.metadata_expiry.as_millis() as u64;
    let expires_secs = expires_ms.div_ceil(1000);
    {
        let mut issued = lock(&app);
        let now_secs = now / 1000;
        issued.keys.retain(|k| k.expires_secs > now_secs);
        if issued.keys.len() >= MAX_KEYS {
            issued.keys.pop_front();
        }
        issued.keys.push_back(TempKey {
            ak: ak.clone(),
            sk: sk.clone(),
            security_token: security_token.clone(),
            expires_secs,
        });
    }
    // As the service writes it: microseconds, `Z`.
    let expires_at = format!(
        "{}.000000Z",
        crate::time::rfc3339_from_unix(expires_secs).trim_end_matches('Z')
    );
    let body = json!({
        "credential": {
            "access": ak,
            "secret": sk,
            "securitytoken": security_token,
            "expires_at": expires_at,
        }
    });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
