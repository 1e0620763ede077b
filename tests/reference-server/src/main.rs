//! `cc-reference-server [--port N] [--now RFC3339] [--clock-offset-seconds N] [--extension-id ID]...`:
//! the Customer City API and the web app's sign-in hand-off over HTTPS on 127.0.0.1, with a
//! self-signed certificate for `api.customercity.com`, `app.customercity.com` and `localhost`.
//! Prints one JSON line `{"port": N, "certificate": "<PEM>"}` when ready. See docs/api.md; the
//! behaviour is in `app.rs`, this file only moves bytes.
//!
//! The connect page hands sign-in codes only to the extension Ids given with `--extension-id`
//! (repeatable) or `CC_EXTENSION_IDS` (comma-separated); without either, to the published
//! extension's (`app::PUBLISHED_EXTENSION_IDS`). The end-to-end tests pass the unpacked build's.
//!
//! Those extensions' origins may also call it across origins (CORS), as a regional deployment
//! must allow: the extension's host permission names only the built API host, so a policy's
//! regional `apiOrigin` (docs/admin.md) is reached with CORS (`policy.test.mjs`).

mod app;
mod dataset;
#[cfg(test)]
mod handoff_tests;
#[cfg(test)]
mod network_day;
#[cfg(test)]
mod panel_text;

use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{crypto::ring, ServerConfig};
use tokio_rustls::TlsAcceptor;

use app::{App, Request};

#[tokio::main]
async fn main() -> Result<()> {
    let mut port = 0u16;
    let mut fixed_now: Option<DateTime<Utc>> = None;
    let mut extension_ids: Vec<String> = std::env::var("CC_EXTENSION_IDS")
        .unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect();
    let mut extension_ids_given = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().context("--port needs a value")?.parse()?,
            "--now" => {
                fixed_now = Some(
                    DateTime::parse_from_rfc3339(&args.next().context("--now needs a value")?)?
                        .with_timezone(&Utc),
                )
            }
            "--extension-id" => {
                if !extension_ids_given {
                    extension_ids.clear(); // the command line wins over the environment
                    extension_ids_given = true;
                }
                extension_ids.push(args.next().context("--extension-id needs a value")?);
            }
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    let clock: Box<dyn Fn() -> DateTime<Utc> + Send + Sync> = match fixed_now {
        Some(now) => Box::new(move || now),
        None => Box::new(Utc::now),
    };
    if let Some(bad) = extension_ids.iter().find(|id| !app::is_extension_id(id)) {
        anyhow::bail!("{bad:?} is not a Chrome extension Id (32 letters a to p)");
    }
    let cors_origins: Arc<Vec<String>> = Arc::new(
        extension_ids
            .iter()
            .map(|id| format!("chrome-extension://{id}"))
            .collect(),
    );
    let app = App::new(clock);
    let app = Arc::new(if extension_ids.is_empty() {
        app
    } else {
        app.with_extension_ids(extension_ids)
    });

    let names = ["api.customercity.com", "app.customercity.com", "localhost"]
        .map(str::to_string)
        .to_vec();
    let certified = rcgen::generate_simple_self_signed(names).context("certificate")?;
    let certificate_pem = certified.cert.pem();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(certified.cert.der().to_vec())],
            key,
        )?;
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "{}",
        serde_json::json!({"port": listener.local_addr()?.port(), "certificate": certificate_pem})
    );

    loop {
        let (stream, _) = listener.accept().await?;
        let (acceptor, app, cors) = (acceptor.clone(), app.clone(), cors_origins.clone());
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            let service = service_fn(move |request| serve(app.clone(), cors.clone(), request));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}

/// A response body: the whole answer, or (the `endless` fault) its first bytes followed by `x`
/// bytes for as long as the client reads.
enum Reply {
    Whole(Full<Bytes>),
    Endless(Option<Bytes>),
    /// The connection is dropped instead of an answer (the `unreachable` fault): to the client,
    /// a network error, as offline.
    Dropped,
}

static FILLER: [u8; 64 * 1024] = [b'x'; 64 * 1024];

impl hyper::body::Body for Reply {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Reply::Whole(whole) => std::pin::Pin::new(whole)
                .poll_frame(context)
                .map_err(|never| match never {}),
            Reply::Dropped => std::task::Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "the unreachable fault",
            )))),
            Reply::Endless(first) => {
                let chunk = first.take().unwrap_or_else(|| Bytes::from_static(&FILLER));
                app::ENDLESS_BYTES_SENT
                    .fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::Relaxed);
                std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(chunk))))
            }
        }
    }
}

async fn serve(
    app: Arc<App>,
    cors_origins: Arc<Vec<String>>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Reply>, hyper::Error> {
    let (parts, body) = request.into_parts();
    // CORS for the configured extensions' origins only: a preflight is answered here (never
    // recorded), an answer names the origin and the headers the worker reads.
    let cors_origin = parts
        .headers
        .get("origin")
        .and_then(|h| h.to_str().ok())
        .filter(|origin| cors_origins.iter().any(|allowed| allowed == origin))
        .map(str::to_string);
    if parts.method == hyper::Method::OPTIONS {
        let mut builder =
            hyper::Response::builder().status(if cors_origin.is_some() { 204 } else { 403 });
        if let Some(origin) = &cors_origin {
            let asked = parts
                .headers
                .get("access-control-request-headers")
                .and_then(|h| h.to_str().ok())
                .unwrap_or("")
                .to_string();
            builder = builder
                .header("access-control-allow-origin", origin)
                .header("access-control-allow-methods", "GET, POST")
                .header("access-control-allow-headers", asked)
                .header("access-control-max-age", "600")
                .header("vary", "origin");
        }
        return Ok(builder
            .body(Reply::Whole(Full::default()))
            .unwrap_or_else(|_| hyper::Response::new(Reply::Whole(Full::default()))));
    }
    let body = body.collect().await?.to_bytes().to_vec();
    let host = parts
        .headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .split(':')
        .next()
        .unwrap_or("")
        .to_string();
    let query = parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect();
    let headers = parts
        .headers
        .iter()
        .filter_map(|(name, value)| {
            Some((
                name.as_str().to_ascii_lowercase(),
                value.to_str().ok()?.to_string(),
            ))
        })
        .collect();
    let request = Request {
        method: parts.method.to_string(),
        host,
        path: parts.uri.path().to_string(),
        query,
        headers,
        body,
    };
    let response = app.handle(&request);
    if response.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(response.delay_ms)).await;
    }
    let mut builder = hyper::Response::builder().status(response.status);
    if let Some(origin) = &cors_origin {
        builder = builder
            .header("access-control-allow-origin", origin)
            .header("access-control-expose-headers", "etag, retry-after")
            .header("vary", "origin");
    }
    let mut endless = false;
    let mut dropped = false;
    for (name, value) in &response.headers {
        if name == app::ENDLESS_BODY_HEADER {
            endless = true;
        } else if name == app::DROP_CONNECTION_HEADER {
            dropped = true;
        } else {
            builder = builder.header(name, value);
        }
    }
    let body = Bytes::from(response.body);
    let body = if dropped {
        Reply::Dropped
    } else if endless {
        Reply::Endless(Some(body))
    } else {
        Reply::Whole(Full::new(body))
    };
    Ok(builder
        .body(body)
        .unwrap_or_else(|_| hyper::Response::new(Reply::Whole(Full::default()))))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |byte: u8| (byte as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = match bytes[index] {
            b'%' if index + 2 < bytes.len() => hex(bytes[index + 1])
                .zip(hex(bytes[index + 2]))
                .map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match (decoded, bytes[index]) {
            (Some(byte), _) => {
                out.push(byte);
                index += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                index += 1;
            }
            (None, byte) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
