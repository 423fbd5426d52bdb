//! Image inputs: a file, encoded bytes, or base64 text / a data URL.
use crate::error::{invalid, Result};
use crate::owned::c_string;
use acg2vec_sys as sys;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;

/// One image for a task.
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
    Base64(&'a str),
}

impl<'a> From<&'a Path> for Input<'a> {
    fn from(path: &'a Path) -> Self {
        Input::File(path)
    }
}

impl<'a> From<&'a std::path::PathBuf> for Input<'a> {
    fn from(path: &'a std::path::PathBuf) -> Self {
        Input::File(path)
    }
}

impl<'a> From<&'a str> for Input<'a> {
    fn from(path: &'a str) -> Self {
        Input::File(Path::new(path))
    }
}

impl<'a> From<&'a [u8]> for Input<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Input::Bytes(bytes)
    }
}

/// acg2vec_image_input structs for one call, with the strings they point to.
pub(crate) struct CInputs {
    _texts: Vec<CString>,
    pub inputs: Vec<sys::acg2vec_image_input>,
}

impl CInputs {
    pub fn new(items: &[Input]) -> Result<CInputs> {
        let mut texts = Vec::new();
        let mut inputs = Vec::new();
        for item in items {
            let mut input = sys::acg2vec_image_input {
                source: sys::ACG2VEC_IMAGE_FILE,
                text: ptr::null(),
                data: ptr::null(),
                size: 0,
                image: ptr::null(),
                name: ptr::null(),
            };
            match item {
                Input::File(path) => {
                    let text = CString::new(path.as_os_str().as_bytes())
                        .map_err(|_| invalid(format!("{} contains a NUL byte", path.display())))?;
                    input.text = text.as_ptr();
                    texts.push(text);
                }
                Input::Bytes(bytes) => {
                    input.source = sys::ACG2VEC_IMAGE_MEMORY;
                    input.data = bytes.as_ptr().cast();
                    input.size = bytes.len();
                }
                Input::Base64(text) => {
                    input.source = sys::ACG2VEC_IMAGE_BASE64;
                    let text = c_string(text)?;
                    input.text = text.as_ptr();
                    texts.push(text);
                }
            }
            inputs.push(input);
        }
        Ok(CInputs { _texts: texts, inputs })
    }
}
