//! A safe wrapper over the part of acg2vec's C ABI (capi/acg2vec.h) this example uses: every
//! library object lives in an `Owned` that frees it on drop, and every failed call becomes an
//! `Error` carrying the library's message.

use std::error;
use std::ffi::{CStr, CString};
use std::fmt;
use std::marker::PhantomData;
use std::os::raw::{c_char, c_void};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;
use std::slice;

mod ffi {
    use std::os::raw::{c_char, c_int, c_void};
    use std::ptr;

    // Opaque handles and results.
    #[repr(C)]
    pub struct Model {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct Tagger {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct TagResult {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct Embedder {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct Vector {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct Index {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct SearchResult {
        _private: [u8; 0],
    }

    pub type Status = c_int; // acg2vec_status
    pub const OK: Status = 0;
    pub const INVALID_ARGUMENT: Status = 1;
    pub const IMAGE_FILE: c_int = 0; // acg2vec_image_source

    // acg2vec_image_input, field for field (C enums are int-sized).
    #[repr(C)]
    pub struct ImageInput {
        pub source: c_int,
        pub text: *const c_char,
        pub data: *const c_void,
        pub size: usize,
        pub image: *const c_void, // const acg2vec_image*
        pub name: *const c_char,
    }

    impl ImageInput {
        /// acg2vec_image_file: a static inline function of the header, so not in the library.
        pub fn file(path: *const c_char) -> ImageInput {
            ImageInput {
                source: IMAGE_FILE,
                text: path,
                data: ptr::null(),
                size: 0,
                image: ptr::null(),
                name: ptr::null(),
            }
        }
    }

    // acg2vec_index_options, field for field.
    #[repr(C)]
    pub struct IndexOptions {
        pub struct_size: usize,
        pub dimension: usize,
        pub metric: c_int,
        pub m: usize,
        pub ef_construction: usize,
        pub ef_search: usize,
        pub initial_capacity: usize,
        pub seed: u64,
        pub model_name: *const c_char,
        pub model_fingerprint: *const c_char,
    }

    extern "C" {
        pub fn acg2vec_abi_version() -> c_int;
        pub fn acg2vec_status_name(status: c_int) -> *const c_char;
        pub fn acg2vec_last_error() -> *const c_char;
        pub fn acg2vec_string_free(string: *mut c_char);

        pub fn acg2vec_model_open(path: *const c_char, options: *const c_void, out: *mut *mut Model) -> Status;
        pub fn acg2vec_model_free(model: *mut Model);

        pub fn acg2vec_tagger_create(
            model: *const Model,
            tag_options: *const c_void,
            decode_options: *const c_void,
            out: *mut *mut Tagger,
        ) -> Status;
        pub fn acg2vec_tagger_free(tagger: *mut Tagger);
        pub fn acg2vec_tagger_tag(tagger: *const Tagger, input: *const ImageInput, out: *mut *mut TagResult) -> Status;
        pub fn acg2vec_tag_result_rating(result: *const TagResult, name: *mut *const c_char) -> Status;
        pub fn acg2vec_tag_result_caption(
            result: *const TagResult,
            separator: *const c_char,
            caption: *mut *mut c_char,
        ) -> Status;
        pub fn acg2vec_tag_result_free(result: *mut TagResult);

        pub fn acg2vec_embedder_create(
            model: *const Model,
            embed_options: *const c_void,
            decode_options: *const c_void,
            out: *mut *mut Embedder,
        ) -> Status;
        pub fn acg2vec_embedder_free(embedder: *mut Embedder);
        pub fn acg2vec_embedder_index_options(embedder: *const Embedder, options: *mut IndexOptions) -> Status;
        pub fn acg2vec_embedder_embed(
            embedder: *const Embedder,
            input: *const ImageInput,
            out: *mut *mut Vector,
        ) -> Status;
        pub fn acg2vec_embedder_embed_text(
            embedder: *const Embedder,
            text: *const c_char,
            out: *mut *mut Vector,
        ) -> Status;
        pub fn acg2vec_vector_data(vector: *const Vector, data: *mut *const f32, size: *mut usize) -> Status;
        pub fn acg2vec_vector_free(vector: *mut Vector);

        pub fn acg2vec_index_create(options: *const IndexOptions, out: *mut *mut Index) -> Status;
        pub fn acg2vec_index_load(path: *const c_char, expected: *const IndexOptions, out: *mut *mut Index) -> Status;
        pub fn acg2vec_index_save(index: *const Index, path: *const c_char) -> Status;
        pub fn acg2vec_index_free(index: *mut Index);
        pub fn acg2vec_index_add(
            index: *mut Index,
            key: *const c_char,
            vector: *const f32,
            dimension: usize,
            categories: *const *const c_char,
            category_count: usize,
        ) -> Status;
        pub fn acg2vec_index_size(index: *const Index, size: *mut usize) -> Status;
        pub fn acg2vec_index_search(
            index: *const Index,
            query: *const f32,
            dimension: usize,
            k: usize,
            ef: usize,
            filter: *const c_void,
            out: *mut *mut SearchResult,
        ) -> Status;
        pub fn acg2vec_search_result_count(result: *const SearchResult, count: *mut usize) -> Status;
        pub fn acg2vec_search_result_get(
            result: *const SearchResult,
            index: usize,
            key: *mut *const c_char,
            distance: *mut f32,
            score: *mut f32,
        ) -> Status;
        pub fn acg2vec_search_result_free(result: *mut SearchResult);
    }
}

/// A failed library call: its status and acg2vec_last_error()'s message.
#[derive(Debug)]
pub struct Error {
    pub status: i32,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let name = unsafe { owned_string(ffi::acg2vec_status_name(self.status)) };
        write!(f, "{}: {}", name, self.message)
    }
}

impl error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// The ABI these declarations follow (ACG2VEC_ABI_VERSION of capi/acg2vec.h).
const ABI_VERSION: i32 = 2;

/// Fails when the loaded library has another ABI than the declarations above.
pub fn check_abi() -> Result<()> {
    let library = unsafe { ffi::acg2vec_abi_version() };
    if library == ABI_VERSION {
        return Ok(());
    }
    Err(Error {
        status: ffi::INVALID_ARGUMENT,
        message: format!("the library has ABI {}, this program {}", library, ABI_VERSION),
    })
}

/// Ok, or the calling thread's last error (read right after the failed call).
fn check(status: ffi::Status) -> Result<()> {
    if status == ffi::OK {
        return Ok(());
    }
    let message = unsafe { owned_string(ffi::acg2vec_last_error()) };
    Err(Error { status, message })
}

/// Copies a NUL-terminated UTF-8 string owned by the library.
unsafe fn owned_string(text: *const c_char) -> String {
    CStr::from_ptr(text).to_string_lossy().into_owned()
}

fn c_string(text: &[u8]) -> Result<CString> {
    CString::new(text).map_err(|_| Error {
        status: ffi::INVALID_ARGUMENT,
        message: format!("{:?} contains a NUL byte", String::from_utf8_lossy(text)),
    })
}

fn c_path(path: &Path) -> Result<CString> {
    c_string(path.as_os_str().as_bytes())
}

/// A library object, freed by its acg2vec_*_free function when dropped.
struct Owned<T> {
    raw: *mut T,
    free: unsafe extern "C" fn(*mut T),
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        unsafe { (self.free)(self.raw) } // every free function accepts NULL
    }
}

/// Calls a function that hands out an object through its last parameter.
fn make<T>(free: unsafe extern "C" fn(*mut T), call: impl FnOnce(*mut *mut T) -> ffi::Status) -> Result<Owned<T>> {
    let mut raw = ptr::null_mut();
    let status = call(&mut raw);
    let owned = Owned { raw, free };
    check(status)?;
    Ok(owned)
}

/// Copies a vector's floats.
fn vector_floats(vector: &Owned<ffi::Vector>) -> Result<Vec<f32>> {
    let mut data = ptr::null();
    let mut size = 0;
    check(unsafe { ffi::acg2vec_vector_data(vector.raw, &mut data, &mut size) })?;
    if size == 0 {
        return Ok(Vec::new());
    }
    Ok(unsafe { slice::from_raw_parts(data, size) }.to_vec())
}

/// A model file, opened once; tasks are created on it.
pub struct Model(Owned<ffi::Model>);

impl Model {
    pub fn open(path: &Path) -> Result<Model> {
        let path = c_path(path)?;
        let model = make(ffi::acg2vec_model_free, |out| unsafe {
            ffi::acg2vec_model_open(path.as_ptr(), ptr::null(), out)
        })?;
        Ok(Model(model))
    }
}

/// A WD14-style tagger.
pub struct Tagger(Owned<ffi::Tagger>);

/// The tags of one image.
pub struct Tags {
    pub rating: String,
    pub caption: String, // characters, then general tags, most probable first
}

impl Tagger {
    /// A tagger with the default options; it keeps the model alive.
    pub fn new(model: &Model) -> Result<Tagger> {
        let tagger = make(ffi::acg2vec_tagger_free, |out| unsafe {
            ffi::acg2vec_tagger_create(model.0.raw, ptr::null(), ptr::null(), out)
        })?;
        Ok(Tagger(tagger))
    }

    pub fn tag_file(&self, path: &Path) -> Result<Tags> {
        let path = c_path(path)?;
        let input = ffi::ImageInput::file(path.as_ptr());
        let result = make(ffi::acg2vec_tag_result_free, |out| unsafe {
            ffi::acg2vec_tagger_tag(self.0.raw, &input, out)
        })?;
        let mut rating = ptr::null();
        check(unsafe { ffi::acg2vec_tag_result_rating(result.raw, &mut rating) })?;
        let caption = make(ffi::acg2vec_string_free, |out| unsafe {
            ffi::acg2vec_tag_result_caption(result.raw, ptr::null(), out)
        })?;
        unsafe {
            Ok(Tags {
                rating: owned_string(rating),
                caption: owned_string(caption.raw),
            })
        }
    }
}

/// An image and text embedder (CLIP-like).
pub struct Embedder(Owned<ffi::Embedder>);

impl Embedder {
    /// An embedder with the default options; it keeps the model alive.
    pub fn new(model: &Model) -> Result<Embedder> {
        let embedder = make(ffi::acg2vec_embedder_free, |out| unsafe {
            ffi::acg2vec_embedder_create(model.0.raw, ptr::null(), ptr::null(), out)
        })?;
        Ok(Embedder(embedder))
    }

    /// What an index of this embedder's vectors records: dimension, cosine, the model's name
    /// and fingerprint.
    pub fn index_options(&self) -> Result<IndexOptions<'_>> {
        let mut raw = ffi::IndexOptions {
            struct_size: 0,
            dimension: 0,
            metric: 0,
            m: 0,
            ef_construction: 0,
            ef_search: 0,
            initial_capacity: 0,
            seed: 0,
            model_name: ptr::null(),
            model_fingerprint: ptr::null(),
        };
        check(unsafe { ffi::acg2vec_embedder_index_options(self.0.raw, &mut raw) })?;
        Ok(IndexOptions {
            raw,
            _embedder: PhantomData,
        })
    }

    pub fn embed_file(&self, path: &Path) -> Result<Vec<f32>> {
        let path = c_path(path)?;
        let input = ffi::ImageInput::file(path.as_ptr());
        let vector = make(ffi::acg2vec_vector_free, |out| unsafe {
            ffi::acg2vec_embedder_embed(self.0.raw, &input, out)
        })?;
        vector_floats(&vector)
    }

    pub fn embed_text(&self, text: &str) -> Result<Vec<f32>> {
        let text = c_string(text.as_bytes())?;
        let vector = make(ffi::acg2vec_vector_free, |out| unsafe {
            ffi::acg2vec_embedder_embed_text(self.0.raw, text.as_ptr(), out)
        })?;
        vector_floats(&vector)
    }
}

/// One search hit.
pub struct Hit {
    pub key: String,
    pub distance: f32, // 1 - cosine for a cosine index
}

/// Index options from Embedder::index_options. Its model strings belong to the embedder,
/// hence the borrow.
pub struct IndexOptions<'a> {
    raw: ffi::IndexOptions,
    _embedder: PhantomData<&'a Embedder>,
}

impl IndexOptions<'_> {
    pub fn dimension(&self) -> usize {
        self.raw.dimension
    }
}

/// An HNSW index with string keys.
pub struct Index(Owned<ffi::Index>);

impl Index {
    pub fn create(options: &IndexOptions) -> Result<Index> {
        let index = make(ffi::acg2vec_index_free, |out| unsafe {
            ffi::acg2vec_index_create(&options.raw, out)
        })?;
        Ok(Index(index))
    }

    /// Loads a saved index, refusing a file of another dimension, metric or model.
    pub fn load(path: &Path, expected: &IndexOptions) -> Result<Index> {
        let path = c_path(path)?;
        let index = make(ffi::acg2vec_index_free, |out| unsafe {
            ffi::acg2vec_index_load(path.as_ptr(), &expected.raw, out)
        })?;
        Ok(Index(index))
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let path = c_path(path)?;
        check(unsafe { ffi::acg2vec_index_save(self.0.raw, path.as_ptr()) })
    }

    pub fn add(&mut self, key: &str, vector: &[f32]) -> Result<()> {
        let key = c_string(key.as_bytes())?;
        check(unsafe {
            ffi::acg2vec_index_add(self.0.raw, key.as_ptr(), vector.as_ptr(), vector.len(), ptr::null(), 0)
        })
    }

    pub fn len(&self) -> Result<usize> {
        let mut size = 0;
        check(unsafe { ffi::acg2vec_index_size(self.0.raw, &mut size) })?;
        Ok(size)
    }

    /// Up to k hits, nearest first.
    pub fn search(&self, query: &[f32], k: usize) -> Result<Vec<Hit>> {
        let result = make(ffi::acg2vec_search_result_free, |out| unsafe {
            ffi::acg2vec_index_search(
                self.0.raw,
                query.as_ptr(),
                query.len(),
                k,
                0,
                ptr::null::<c_void>(),
                out,
            )
        })?;
        let mut count = 0;
        check(unsafe { ffi::acg2vec_search_result_count(result.raw, &mut count) })?;
        let mut hits = Vec::with_capacity(count);
        for i in 0..count {
            let mut key: *const c_char = ptr::null();
            let (mut distance, mut score) = (0.0f32, 0.0f32);
            check(unsafe { ffi::acg2vec_search_result_get(result.raw, i, &mut key, &mut distance, &mut score) })?;
            hits.push(Hit {
                key: unsafe { owned_string(key) },
                distance,
            });
        }
        Ok(hits)
    }
}
