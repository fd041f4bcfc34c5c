//! One error type for the library (as tantivy's `TantivyError`): each variant carries the context
//! where it was raised (the option, the file and line, what was being done), so a front end only
//! prints it.

use crate::corpus::ReadError;
use std::fmt;
use std::io;

/// What went wrong, and where.
#[derive(Debug)]
pub enum Error {
    /// An option out of range, or options that do not fit together; the message names the option.
    Option(String),
    /// Reading the corpus failed (the file and line are in the [`ReadError`]).
    Read(ReadError),
    /// A file or stream could not be opened, read or written.
    Io {
        /// What was being done, naming the file: `cannot write out.jsonl`.
        context: String,
        /// Why.
        source: io::Error,
    },
    /// An archive that cannot be used as asked: not an archive, damaged, made by a newer
    /// reprint or with other options, or a store failure.
    Archive {
        /// The archive file.
        path: String,
        /// What is wrong, and what to do.
        message: String,
    },
    /// A line of a truth or results file that is not what it should be.
    Line {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::Io`] with its context.
    pub fn io(context: impl Into<String>, source: io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }

    /// An [`Error::Line`].
    pub fn line(path: &str, line: usize, message: impl Into<String>) -> Self {
        Error::Line { path: path.to_string(), line, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Option(message) => f.write_str(message),
            Error::Read(e) => e.fmt(f),
            Error::Io { context, source } => write!(f, "{context}: {source}"),
            Error::Line { path, line, message } => write!(f, "{path}:{line}: {message}"),
            Error::Archive { path, message } => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<ReadError> for Error {
    fn from(e: ReadError) -> Self {
        Error::Read(e)
    }
}
