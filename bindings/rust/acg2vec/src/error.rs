//! Statuses and errors.
use acg2vec_sys as sys;
use std::ffi::CStr;
use std::fmt;

/// The library's status codes (acg2vec_status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status(pub i32);

impl Status {
    pub const INVALID_ARGUMENT: Status = Status(sys::ACG2VEC_INVALID_ARGUMENT);
    pub const INVALID_IMAGE: Status = Status(sys::ACG2VEC_INVALID_IMAGE);
    pub const UNSUPPORTED_FORMAT: Status = Status(sys::ACG2VEC_UNSUPPORTED_FORMAT);
    pub const IMAGE_TOO_LARGE: Status = Status(sys::ACG2VEC_IMAGE_TOO_LARGE);
    pub const MODEL_LOAD: Status = Status(sys::ACG2VEC_MODEL_LOAD);
    pub const MODEL_METADATA: Status = Status(sys::ACG2VEC_MODEL_METADATA);
    pub const SHAPE_MISMATCH: Status = Status(sys::ACG2VEC_SHAPE_MISMATCH);
    pub const IO: Status = Status(sys::ACG2VEC_IO);
    pub const INDEX_FORMAT: Status = Status(sys::ACG2VEC_INDEX_FORMAT);
    pub const NOT_FOUND: Status = Status(sys::ACG2VEC_NOT_FOUND);
    pub const INFERENCE: Status = Status(sys::ACG2VEC_INFERENCE);
    pub const DEVICE: Status = Status(sys::ACG2VEC_DEVICE);
    pub const INTERNAL: Status = Status(sys::ACG2VEC_INTERNAL);

    /// The stable lower-case name, e.g. "invalid_image".
    pub fn name(self) -> &'static str {
        unsafe { CStr::from_ptr(sys::acg2vec_status_name(self.0)) }
            .to_str()
            .unwrap_or("unknown")
    }
}

/// A failed call: its status and the library's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.status.name())
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Ok, or the calling thread's last error, read right after the failed call.
pub(crate) fn check(status: sys::acg2vec_status) -> Result<()> {
    if status == sys::ACG2VEC_OK {
        return Ok(());
    }
    let message = unsafe { crate::owned::copy_string(sys::acg2vec_last_error()) };
    Err(Error {
        status: Status(status),
        message,
    })
}

/// An error made on this side of the ABI (a string with a NUL byte, mismatched lengths).
pub(crate) fn invalid(message: String) -> Error {
    Error {
        status: Status::INVALID_ARGUMENT,
        message,
    }
}
