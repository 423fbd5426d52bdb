//! A safe API over acg2vec's C library (`capi/acg2vec.h`, declared in the `acg2vec-sys` crate).
//!
//! Every library object is owned by a Rust value that frees it on `Drop`; every failed call is
//! an [`Error`] with the library's status and message, which names the input and the reason.
//! Tasks keep their model alive inside the library, so a [`Model`] may be dropped after the
//! tasks are made.
//!
//! ```no_run
//! let model = acg2vec::Model::open("wd-vit-tagger-v3.pt", &acg2vec::ModelOptions::default())?;
//! let tagger = acg2vec::Tagger::new(&model, &acg2vec::TagOptions::default())?;
//! let tags = tagger.tag("image.png")?;
//! println!("[{}] {}", tags.rating, tags.caption(", "));
//! # Ok::<(), acg2vec::Error>(())
//! ```

mod error;
mod index;
mod input;
mod options;
mod owned;
mod tasks;
mod text;

pub use error::{Error, Result, Status};
pub use index::{index_key, list_image_files, Hit, Index, IndexOptions};
pub use input::Input;
pub use options::{ModelOptions, TagOptions};
pub use tasks::{ClassScore, Embedder, HeadScore, Model, Outcome, Scorer, Similarity, TagResult, Tagger};
pub use text::{ClipTokenizer, WordPieceTokenizer};

/// The loaded library's version, "MAJOR.MINOR.PATCH".
pub fn version() -> String {
    unsafe { owned::copy_string(acg2vec_sys::acg2vec_version()) }
}

/// Ok when the loaded library has the ABI these declarations follow; `Model::open` checks it.
pub fn check_abi() -> Result<()> {
    let library = unsafe { acg2vec_sys::acg2vec_abi_version() };
    if library == acg2vec_sys::ACG2VEC_ABI_VERSION {
        return Ok(());
    }
    Err(Error {
        status: Status::INVALID_ARGUMENT,
        message: format!(
            "the library has ABI {}, this crate {}",
            library,
            acg2vec_sys::ACG2VEC_ABI_VERSION
        ),
    })
}
