//! Uploaded export files, kept byte for byte with their name, size and sha256, so an analysis can
//! be re-run or a worker on another machine can read the file. The bot stores an upload before it
//! tells the contributor that processing started. Nothing here parses or judges the content.

use super::{Store, StoreError, sha256_hex};

/// Largest upload the store accepts. Telegram lets bots download 20 MB; this leaves room for
/// other channels while keeping one row well inside what both backends handle in memory.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The column list of [`UploadMeta`], in its order.
macro_rules! upload_meta_columns {
    () => {
        "id, user_id, file_name, sha256, size, created_at"
    };
}

/// An upload without its bytes: what lists and logs need.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UploadMeta {
    pub id: i64,
    pub user_id: i64,
    /// The name the contributor's file had, without directories.
    pub file_name: String,
    /// Lower-case hex sha256 of the bytes.
    pub sha256: String,
    /// Length of the bytes.
    pub size: i64,
    pub created_at: i64,
}

/// An upload with its bytes.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Upload {
    #[sqlx(flatten)]
    pub meta: UploadMeta,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Upload {
    // Megabytes of file content in a log line help nobody.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("meta", &self.meta)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish()
    }
}

impl Store {
    /// Stores an uploaded file for `user_id` and returns its metadata; computes size and sha256.
    /// [`StoreError::Invalid`] above [`MAX_UPLOAD_BYTES`].
    pub async fn save_upload(
        &self,
        user_id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<UploadMeta, StoreError> {
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(StoreError::Invalid(format!(
                "upload of {} bytes exceeds the {MAX_UPLOAD_BYTES}-byte limit",
                bytes.len()
            )));
        }
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let sha256 = sha256_hex(bytes);
        let now = self.now();
        let meta = with_pool!(self, |pool| {
            sqlx::query_as::<_, UploadMeta>(concat!(
                "INSERT INTO uploads (user_id, file_name, sha256, size, bytes, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
                upload_meta_columns!()
            ))
            .bind(user_id)
            .bind(file_name)
            .bind(&sha256)
            .bind(size)
            .bind(bytes)
            .bind(now)
            .fetch_one(pool)
            .await?
        });
        Ok(meta)
    }

    /// The upload with its bytes, or [`StoreError::NotFound`].
    pub async fn upload(&self, id: i64) -> Result<Upload, StoreError> {
        let upload = with_pool!(self, |pool| {
            sqlx::query_as::<_, Upload>(concat!(
                "SELECT ",
                upload_meta_columns!(),
                ", bytes FROM uploads WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        upload.ok_or(StoreError::NotFound { what: "upload" })
    }

    /// The upload's metadata without reading its bytes, or [`StoreError::NotFound`].
    pub async fn upload_meta(&self, id: i64) -> Result<UploadMeta, StoreError> {
        let meta = with_pool!(self, |pool| {
            sqlx::query_as::<_, UploadMeta>(concat!(
                "SELECT ",
                upload_meta_columns!(),
                " FROM uploads WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        meta.ok_or(StoreError::NotFound { what: "upload" })
    }

    /// A user's uploads, newest first, without bytes.
    pub async fn uploads_of_user(&self, user_id: i64) -> Result<Vec<UploadMeta>, StoreError> {
        let metas = with_pool!(self, |pool| {
            sqlx::query_as::<_, UploadMeta>(concat!(
                "SELECT ",
                upload_meta_columns!(),
                " FROM uploads WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
            ))
            .bind(user_id)
            .fetch_all(pool)
            .await?
        });
        Ok(metas)
    }

    /// Deletes an upload's row and bytes; sales it brought stay in the history. Returns whether
    /// it existed.
    pub async fn delete_upload(&self, id: i64) -> Result<bool, StoreError> {
        let done = with_pool!(self, |pool| {
            sqlx::query("DELETE FROM uploads WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }
}
