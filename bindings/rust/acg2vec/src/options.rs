//! Options, starting from the library's defaults (its *_init functions).
use crate::error::{check, Result};
use crate::owned::{c_string, CStrings};
use acg2vec_sys as sys;
use std::ffi::CString;
use std::mem::MaybeUninit;
use std::ptr;

/// How a model is opened. `ModelOptions::default()` is the library's defaults.
#[derive(Clone, Debug, Default)]
pub struct ModelOptions {
    /// "cpu", "cuda", "cuda:N", "auto"; None: the library's default ("cpu").
    pub device: Option<String>,
    /// libtorch threads for the whole process; 0: one per core unless already set.
    pub threads: Option<i32>,
    /// Images per forward pass in batch calls.
    pub batch_size: Option<i32>,
    pub decode_threads: Option<i32>,
}

pub(crate) struct CModelOptions {
    _device: Option<CString>,
    pub raw: sys::acg2vec_model_options,
}

impl ModelOptions {
    pub(crate) fn to_c(&self) -> Result<CModelOptions> {
        let mut raw = init(sys::acg2vec_model_options_init)?;
        let device = self.device.as_deref().map(c_string).transpose()?;
        if let Some(d) = &device {
            raw.device = d.as_ptr();
        }
        if let Some(v) = self.threads {
            raw.threads = v;
        }
        if let Some(v) = self.batch_size {
            raw.batch_size = v;
        }
        if let Some(v) = self.decode_threads {
            raw.decode_threads = v;
        }
        Ok(CModelOptions { _device: device, raw })
    }
}

/// Which tags a result keeps (the defaults are WD14's). None: the library's default.
#[derive(Clone, Debug, Default)]
pub struct TagOptions {
    pub general_threshold: Option<f32>,
    pub character_threshold: Option<f32>,
    pub general_mcut: Option<bool>,
    pub character_mcut: Option<bool>,
    /// At most this many general tags (0: no limit).
    pub max_general: Option<usize>,
    /// Tags never reported.
    pub exclude: Vec<String>,
    /// "long_hair" -> "long hair".
    pub underscores_to_spaces: Option<bool>,
    /// "(" -> "\(" for Stable Diffusion prompts.
    pub escape_parentheses: Option<bool>,
    /// Drop "shirt" when "white_shirt" is kept.
    pub drop_overlap: Option<bool>,
}

pub(crate) struct CTagOptions {
    _exclude: CStrings,
    pub raw: sys::acg2vec_tag_options,
}

impl TagOptions {
    pub(crate) fn to_c(&self) -> Result<CTagOptions> {
        let mut raw = init(sys::acg2vec_tag_options_init)?;
        if let Some(v) = self.general_threshold {
            raw.general_threshold = v;
        }
        if let Some(v) = self.character_threshold {
            raw.character_threshold = v;
        }
        if let Some(v) = self.general_mcut {
            raw.general_mcut = v as i32;
        }
        if let Some(v) = self.character_mcut {
            raw.character_mcut = v as i32;
        }
        if let Some(v) = self.max_general {
            raw.max_general = v;
        }
        if let Some(v) = self.underscores_to_spaces {
            raw.underscores_to_spaces = v as i32;
        }
        if let Some(v) = self.escape_parentheses {
            raw.escape_parentheses = v as i32;
        }
        if let Some(v) = self.drop_overlap {
            raw.drop_overlap = v as i32;
        }
        let exclude = CStrings::new(&self.exclude)?;
        raw.exclude = exclude.as_ptr();
        raw.exclude_count = exclude.pointers.len();
        Ok(CTagOptions { _exclude: exclude, raw })
    }
}

/// A struct filled by its *_init function (which sets struct_size and the defaults).
pub(crate) fn init<T>(function: unsafe extern "C" fn(*mut T) -> sys::acg2vec_status) -> Result<T> {
    let mut value = MaybeUninit::<T>::zeroed();
    check(unsafe { function(value.as_mut_ptr()) })?;
    Ok(unsafe { value.assume_init() })
}

/// A null options pointer: the library's defaults.
pub(crate) fn defaults<T>() -> *const T {
    ptr::null()
}
