//! Artifact downloads: a `.tar.gz` of a file or folder of a stopped session's container,
//! streamed to disk.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ureq::http::Method;

use super::url::Query;
use super::{Accept, Connection, Error};
use crate::Status;

/// The default size cap: a little over the 100 MB the provider allows.
pub const DEFAULT_MAX_ARTIFACT_BYTES: u64 = 110 * 1024 * 1024;

const CHUNK_BYTES: usize = 64 * 1024;

/// How to download an artifact.
pub struct ArtifactOptions<'a> {
    /// Fail when the archive is larger than this many bytes (checked before and while reading).
    pub max_bytes: u64,
    /// Called after each chunk with the bytes received so far and the total when the server
    /// sent one; returning `false` cancels the download (`Status::Cancelled`).
    pub progress: Option<&'a mut dyn FnMut(u64, Option<u64>) -> bool>,
    /// Called once the whole archive is on disk, just before it is moved to the destination;
    /// returning `false` cancels the download instead (`Status::Cancelled`; nothing is moved).
    pub before_commit: Option<&'a dyn Fn() -> bool>,
}

impl Default for ArtifactOptions<'_> {
    fn default() -> Self {
        ArtifactOptions {
            max_bytes: DEFAULT_MAX_ARTIFACT_BYTES,
            progress: None,
            before_commit: None,
        }
    }
}

/// A file being written beside its destination; removed unless committed, so a failed download
/// never leaves a partial file behind.
struct PartFile {
    path: PathBuf,
    file: Option<File>,
}

fn local_error(what: &str, path: &Path, error: std::io::Error) -> Error {
    Error::invalid_argument(format!("cannot {what} {}: {error}", path.display()))
}

impl PartFile {
    fn create(destination: &Path) -> Result<PartFile, Error> {
        let name = destination.file_name().ok_or_else(|| {
            Error::invalid_argument(format!("{} is not a file path", destination.display()))
        })?;
        let mut part_name = name.to_os_string();
        part_name.push(format!(".{}.part", uuid::Uuid::new_v4().simple()));
        let path = destination.with_file_name(part_name);
        let file = File::create(&path).map_err(|e| local_error("create", &path, e))?;
        Ok(PartFile {
            path,
            file: Some(file),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let file = self.file.as_mut().expect("open until committed");
        file.write_all(bytes)
            .map_err(|e| local_error("write", &self.path, e))
    }

    /// Flushes to disk and moves the file to `destination`, replacing what was there.
    fn commit(mut self, destination: &Path) -> Result<(), Error> {
        let file = self.file.take().expect("open until committed");
        file.sync_all()
            .map_err(|e| local_error("write", &self.path, e))?;
        drop(file);
        fs::rename(&self.path, destination)
            .map_err(|e| local_error("move the download to", destination, e))?;
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        self.file = None;
        if !self.path.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn too_big(max_bytes: u64) -> Error {
    Error::decode(format!(
        "the artifact is larger than the limit of {max_bytes} bytes"
    ))
}

/// Where a download goes.
enum Target<'a> {
    /// A file, written beside it and moved there once complete.
    File(&'a Path),
    /// The caller's writer, as the bytes arrive.
    Writer(&'a mut dyn Write),
}

/// A target opened once the response has begun: what the bytes are written to.
enum Sink<'a> {
    File {
        part: PartFile,
        destination: &'a Path,
    },
    Writer(&'a mut dyn Write),
}

fn writer_error(error: std::io::Error) -> Error {
    Error::invalid_argument(format!("cannot write the download: {error}"))
}

impl<'a> Sink<'a> {
    fn open(target: Target<'a>) -> Result<Sink<'a>, Error> {
        Ok(match target {
            Target::File(destination) => Sink::File {
                part: PartFile::create(destination)?,
                destination,
            },
            Target::Writer(out) => Sink::Writer(out),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        match self {
            Sink::File { part, .. } => part.write(bytes),
            Sink::Writer(out) => out.write_all(bytes).map_err(writer_error),
        }
    }

    /// The whole archive is written: the part file moved to its destination, or the writer
    /// flushed.
    fn finish(self) -> Result<(), Error> {
        match self {
            Sink::File { part, destination } => part.commit(destination),
            Sink::Writer(out) => out.flush().map_err(writer_error),
        }
    }
}

impl Connection {
    /// Downloads an artifact (`GET /artifacts?session=&path=`; scope `artifact:read`): the
    /// `.tar.gz` of the absolute `path` inside the stopped session's container, written to
    /// `destination` and replacing any file there. Memory use stays flat whatever the size.
    /// The connection and response head must arrive within the client's timeout; then the
    /// download lasts as long as data keeps arriving, failing after a silence as long as that
    /// timeout. On any failure `destination` is untouched (a file already there is kept) and no
    /// partial file is left beside it. Returns the number of bytes written.
    pub(crate) fn download_artifact(
        &self,
        session: &str,
        path: &str,
        destination: &Path,
        options: ArtifactOptions<'_>,
    ) -> Result<u64, Error> {
        self.download(session, path, Target::File(destination), options)
    }

    /// [`Connection::download_artifact`], the bytes written to `out` as they arrive (a pipe, a
    /// socket, memory). A failure after the first bytes leaves those bytes written: the caller
    /// owns `out`. A write error ends the download with `InvalidArgument`, its message naming
    /// the I/O error (for a closed pipe, "Broken pipe").
    pub(crate) fn download_artifact_to(
        &self,
        session: &str,
        path: &str,
        out: &mut dyn Write,
        options: ArtifactOptions<'_>,
    ) -> Result<u64, Error> {
        self.download(session, path, Target::Writer(out), options)
    }

    fn download(
        &self,
        session: &str,
        path: &str,
        target: Target<'_>,
        options: ArtifactOptions<'_>,
    ) -> Result<u64, Error> {
        if session.is_empty() {
            return Err(Error::invalid_argument("the session id must not be empty"));
        }
        if !path.starts_with('/') {
            return Err(Error::invalid_argument(format!(
                "the artifact path {path:?} must be absolute"
            )));
        }
        let ArtifactOptions {
            max_bytes,
            mut progress,
            before_commit,
        } = options;
        let mut query = Query::default();
        query.push("session", session);
        query.push("path", path);
        // On this connection's agent, so that a cancel that shuts it down interrupts the read.
        let response = self.send_streaming(
            &self.agent,
            Method::GET,
            &format!("/artifacts{}", query.as_str()),
            Accept::Archive,
            Some(self.core.timeout),
        )?;
        let total = response.body().content_length();
        if total.is_some_and(|total| total > max_bytes) {
            return Err(too_big(max_bytes));
        }
        let mut body = response.into_body().into_reader();
        let mut sink = Sink::open(target)?;
        let mut chunk = vec![0u8; CHUNK_BYTES];
        let mut received: u64 = 0;
        loop {
            let n = body
                .read(&mut chunk)
                .map_err(|e| self.transport_error(ureq::Error::from(e)))?;
            if n == 0 {
                break;
            }
            received += n as u64;
            if received > max_bytes {
                return Err(too_big(max_bytes));
            }
            sink.write(&chunk[..n])?;
            if let Some(progress) = progress.as_mut() {
                if !progress(received, total) {
                    return Err(Error::new(
                        Status::Cancelled,
                        "the download was cancelled by its progress callback",
                    ));
                }
            }
        }
        if before_commit.is_some_and(|go_on| !go_on()) {
            return Err(Error::new(Status::Cancelled, "the download was cancelled"));
        }
        sink.finish()?;
        Ok(received)
    }
}
