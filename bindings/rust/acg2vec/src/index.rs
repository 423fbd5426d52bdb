//! The HNSW index with string keys.
use crate::error::{check, Result};
use crate::options::init;
use crate::owned::{c_string, copy_string, make, take_string, take_strings, vector_floats, CStrings, Owned};
use crate::tasks::Embedder;
use acg2vec_sys as sys;
use std::marker::PhantomData;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;

/// One search hit.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub key: String,
    /// Smaller is closer (1 - cosine for a cosine index).
    pub distance: f32,
    /// Larger is closer (the cosine for a cosine index).
    pub score: f32,
}

/// What an index of an embedder's vectors records and expects: dimension, metric, model name
/// and fingerprint. Its strings belong to the embedder, hence the borrow.
pub struct IndexOptions<'a> {
    raw: sys::acg2vec_index_options,
    _embedder: PhantomData<&'a Embedder>,
}

impl IndexOptions<'_> {
    pub fn for_embedder(embedder: &Embedder) -> Result<IndexOptions<'_>> {
        let mut raw = init(sys::acg2vec_index_options_init)?;
        check(unsafe { sys::acg2vec_embedder_index_options(embedder.0.raw, &mut raw) })?;
        Ok(IndexOptions {
            raw,
            _embedder: PhantomData,
        })
    }

    pub fn dimension(&self) -> usize {
        self.raw.dimension
    }
}

fn c_path(path: &Path) -> Result<std::ffi::CString> {
    c_string(&String::from_utf8_lossy(path.as_os_str().as_bytes()))
}

/// Vectors under string keys.
pub struct Index(Owned<sys::acg2vec_index>);

impl Index {
    pub fn create(options: &IndexOptions) -> Result<Index> {
        Ok(Index(make(sys::acg2vec_index_free, |out| unsafe {
            sys::acg2vec_index_create(&options.raw, out)
        })?))
    }

    /// Validates the whole file, and that it holds vectors of the expected model.
    pub fn load(path: impl AsRef<Path>, expected: &IndexOptions) -> Result<Index> {
        let path = c_path(path.as_ref())?;
        Ok(Index(make(sys::acg2vec_index_free, |out| unsafe {
            sys::acg2vec_index_load(path.as_ptr(), &expected.raw, out)
        })?))
    }

    /// Atomic: a temporary file renamed over path.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = c_path(path.as_ref())?;
        check(unsafe { sys::acg2vec_index_save(self.0.raw, path.as_ptr()) })
    }

    /// A new key (INVALID_ARGUMENT if it is there).
    pub fn add<S: AsRef<str>>(&mut self, key: &str, vector: &[f32], categories: &[S]) -> Result<()> {
        let key = c_string(key)?;
        let categories = CStrings::new(categories)?;
        check(unsafe {
            sys::acg2vec_index_add(
                self.0.raw,
                key.as_ptr(),
                vector.as_ptr(),
                vector.len(),
                categories.as_ptr(),
                categories.pointers.len(),
            )
        })
    }

    /// True when the key was there.
    pub fn remove(&mut self, key: &str) -> Result<bool> {
        let key = c_string(key)?;
        let mut removed = 0;
        check(unsafe { sys::acg2vec_index_remove(self.0.raw, key.as_ptr(), &mut removed) })?;
        Ok(removed != 0)
    }

    pub fn contains(&self, key: &str) -> Result<bool> {
        let key = c_string(key)?;
        let mut found = 0;
        check(unsafe { sys::acg2vec_index_contains(self.0.raw, key.as_ptr(), &mut found) })?;
        Ok(found != 0)
    }

    pub fn len(&self) -> Result<usize> {
        let mut size = 0;
        check(unsafe { sys::acg2vec_index_size(self.0.raw, &mut size) })?;
        Ok(size)
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// The stored vector (normalised for cosine); NOT_FOUND for an absent key.
    pub fn get(&self, key: &str) -> Result<Vec<f32>> {
        let key = c_string(key)?;
        let vector = make(sys::acg2vec_vector_free, |out| unsafe {
            sys::acg2vec_index_get(self.0.raw, key.as_ptr(), out)
        })?;
        vector_floats(vector.raw)
    }

    pub fn keys(&self) -> Result<Vec<String>> {
        take_strings(|out| unsafe { sys::acg2vec_index_keys(self.0.raw, out) })
    }

    pub fn categories(&self, key: &str) -> Result<Vec<String>> {
        let key = c_string(key)?;
        take_strings(|out| unsafe { sys::acg2vec_index_categories(self.0.raw, key.as_ptr(), out) })
    }

    /// Up to k hits, nearest first; with categories, only items carrying one of them.
    pub fn search<S: AsRef<str>>(&self, query: &[f32], k: usize, categories: &[S]) -> Result<Vec<Hit>> {
        let names = CStrings::new(categories)?;
        let mut filter = init(sys::acg2vec_search_filter_init)?;
        filter.any_category = names.as_ptr();
        filter.category_count = names.pointers.len();
        let result = make(sys::acg2vec_search_result_free, |out| unsafe {
            sys::acg2vec_index_search(self.0.raw, query.as_ptr(), query.len(), k, 0, &filter, out)
        })?;
        let mut count = 0;
        check(unsafe { sys::acg2vec_search_result_count(result.raw, &mut count) })?;
        (0..count)
            .map(|i| {
                let (mut key, mut distance, mut score) = (ptr::null(), 0.0f32, 0.0f32);
                check(unsafe { sys::acg2vec_search_result_get(result.raw, i, &mut key, &mut distance, &mut score) })?;
                Ok(Hit {
                    key: unsafe { copy_string(key) },
                    distance,
                    score,
                })
            })
            .collect()
    }
}

/// The image files folder sync would see under files and folders (folders recursively, by
/// extension), sorted: what `acg2vec index build` indexes.
pub fn list_image_files<P: AsRef<Path>>(inputs: &[P]) -> Result<Vec<String>> {
    let paths: Vec<String> = inputs
        .iter()
        .map(|p| String::from_utf8_lossy(p.as_ref().as_os_str().as_bytes()).into_owned())
        .collect();
    let paths = CStrings::new(&paths)?;
    take_strings(|out| unsafe { sys::acg2vec_list_image_files(paths.as_ptr(), paths.pointers.len(), out) })
}

/// The key folder sync gives path under root.
pub fn index_key(path: impl AsRef<Path>, root: impl AsRef<Path>) -> Result<String> {
    let (path, root) = (c_path(path.as_ref())?, c_path(root.as_ref())?);
    take_string(|out| unsafe { sys::acg2vec_index_key(path.as_ptr(), root.as_ptr(), out) })
}
