//! The parameters of one Bot API call, wherever the client put them: query string, JSON body,
//! form-urlencoded body or multipart/form-data (with uploaded files).
//!
//! teloxide sends JSON for most methods and multipart for anything that may carry a file
//! (`sendDocument`, but also `setWebhook`, because of its optional certificate). In multipart every
//! value is text, nested objects (`reply_markup`, `allowed_updates`) are JSON strings, and files
//! are separate parts named by a random id that the parameter references as `attach://<id>`.
//! The getters here accept all those spellings so the method code sees one shape.

use std::collections::HashMap;

use axum::{
    body::{Body, to_bytes},
    extract::{FromRequest, Multipart, Request},
    http::{Method, header},
};
use bytes::{Bytes, BytesMut};
use serde_json::{Map, Value};

/// Largest body of a call without files. Every Bot API text is a few KiB; anything bigger is a bug
/// in the client (and still far below memory trouble).
const NON_FILE_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A file part of a multipart request.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

#[derive(Debug, Default)]
pub struct Params {
    fields: Map<String, Value>,
    files: HashMap<String, UploadedFile>,
}

/// Why a request's parameters could not be read.
#[derive(Debug)]
pub enum ParamsError {
    /// A body or an uploaded file above the limit: Telegram answers 413.
    TooLarge,
    /// Unreadable body: Telegram answers 400 with this description.
    Malformed(String),
}

impl Params {
    /// Reads query string and body. Uploaded files above `max_upload_bytes` are refused.
    pub async fn read(request: Request, max_upload_bytes: u64) -> Result<Self, ParamsError> {
        let mut params = Params::default();
        if let Some(query) = request.uri().query() {
            params.merge_form(query.as_bytes())?;
        }
        if request.method() == Method::GET || request.method() == Method::HEAD {
            return Ok(params);
        }
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            params.merge_multipart(request, max_upload_bytes).await?;
            return Ok(params);
        }
        let body = read_body(request.into_body(), NON_FILE_BODY_LIMIT).await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(params);
        }
        if content_type.starts_with("application/x-www-form-urlencoded") {
            params.merge_form(&body)?;
        } else if content_type.starts_with("application/json") || body.first() == Some(&b'{') {
            params.merge_json(&body)?;
        } else {
            params.merge_form(&body)?;
        }
        Ok(params)
    }

    fn merge_form(&mut self, form: &[u8]) -> Result<(), ParamsError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(form)
            .map_err(|e| ParamsError::Malformed(format!("can't parse parameters: {e}")))?;
        for (key, value) in pairs {
            self.fields.insert(key, Value::String(value));
        }
        Ok(())
    }

    fn merge_json(&mut self, body: &[u8]) -> Result<(), ParamsError> {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => {
                self.fields.extend(map);
                Ok(())
            }
            Ok(_) => Err(ParamsError::Malformed(
                "can't parse JSON object: expected an object".to_owned(),
            )),
            Err(e) => Err(ParamsError::Malformed(format!(
                "can't parse JSON object: {e}"
            ))),
        }
    }

    async fn merge_multipart(
        &mut self,
        request: Request,
        max_upload_bytes: u64,
    ) -> Result<(), ParamsError> {
        let mut multipart = Multipart::from_request(request, &()).await.map_err(|e| {
            ParamsError::Malformed(format!("can't parse multipart: {}", e.body_text()))
        })?;
        // Set once a file is over the limit: the rest of the body is still read (and dropped),
        // so the client gets the 413 instead of a connection torn down mid-upload.
        let mut too_large = false;
        let fail = |too_large: bool, error| {
            if too_large {
                ParamsError::TooLarge
            } else {
                multipart_error(error)
            }
        };
        loop {
            let field = multipart
                .next_field()
                .await
                .map_err(|e| fail(too_large, e))?;
            let Some(mut field) = field else { break };
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                None => {
                    let text = field.text().await.map_err(|e| fail(too_large, e))?;
                    self.fields.insert(name, Value::String(text));
                }
                Some(file_name) => {
                    let content_type = field.content_type().map(str::to_owned);
                    let mut bytes = BytesMut::new();
                    while let Some(chunk) = field.chunk().await.map_err(|e| fail(too_large, e))? {
                        if too_large || bytes.len() as u64 + chunk.len() as u64 > max_upload_bytes {
                            too_large = true;
                            bytes = BytesMut::new();
                            continue;
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                    let file = UploadedFile {
                        file_name: Some(file_name).filter(|n| !n.is_empty()),
                        content_type,
                        bytes: bytes.freeze(),
                    };
                    self.files.insert(name, file);
                }
            }
        }
        if too_large {
            return Err(ParamsError::TooLarge);
        }
        Ok(())
    }

    pub fn has(&self, name: &str) -> bool {
        self.fields.contains_key(name) || self.files.contains_key(name)
    }

    /// A scalar parameter as text (numbers and booleans spelled as JSON spells them).
    pub fn str(&self, name: &str) -> Option<String> {
        match self.fields.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn i64(&self, name: &str) -> Option<i64> {
        match self.fields.get(name)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn f64(&self, name: &str) -> Option<f64> {
        match self.fields.get(name)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> bool {
        match self.fields.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => matches!(s.trim(), "true" | "True" | "1"),
            Some(Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
            _ => false,
        }
    }

    /// A structured parameter (object or array), given as JSON or as a JSON string.
    pub fn json(&self, name: &str) -> Option<Value> {
        match self.fields.get(name)? {
            Value::String(s) => serde_json::from_str(s).ok(),
            Value::Null => None,
            other => Some(other.clone()),
        }
    }

    /// An `InputFile` parameter: a direct file part, an `attach://` reference to one, or a string
    /// (a file_id or URL) for the caller to resolve.
    pub fn input_file(&self, name: &str) -> Option<InputFile<'_>> {
        if let Some(file) = self.files.get(name) {
            return Some(InputFile::Upload(file));
        }
        let value = self.str(name)?;
        match value.strip_prefix("attach://") {
            Some(id) => self.files.get(id).map(InputFile::Upload),
            None => Some(InputFile::Reference(value)),
        }
    }
}

/// Where a file parameter points.
#[derive(Debug)]
pub enum InputFile<'a> {
    Upload(&'a UploadedFile),
    /// A file_id of a file Telegram already has, or a URL.
    Reference(String),
}

async fn read_body(body: Body, limit: usize) -> Result<Bytes, ParamsError> {
    to_bytes(body, limit)
        .await
        .map_err(|_| ParamsError::TooLarge)
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> ParamsError {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ParamsError::TooLarge
    } else {
        ParamsError::Malformed(format!("can't parse multipart: {}", error.body_text()))
    }
}
