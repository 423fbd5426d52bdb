//! Library objects owned by Rust values, and the string conversions every module uses.
use crate::error::{check, invalid, Result};
use acg2vec_sys as sys;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;

/// A library object, freed by its acg2vec_*_free function when dropped.
pub(crate) struct Owned<T> {
    pub raw: *mut T,
    free: unsafe extern "C" fn(*mut T),
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        unsafe { (self.free)(self.raw) } // every free function accepts NULL
    }
}

// The library's objects may be used from any thread (docs/c-api.md, "Thread safety"); results
// are only read.
unsafe impl<T> Send for Owned<T> {}
unsafe impl<T> Sync for Owned<T> {}

/// Calls a function that hands out an object through its last parameter.
pub(crate) fn make<T>(
    free: unsafe extern "C" fn(*mut T),
    call: impl FnOnce(*mut *mut T) -> sys::acg2vec_status,
) -> Result<Owned<T>> {
    let mut raw = ptr::null_mut();
    let status = call(&mut raw);
    let owned = Owned { raw, free };
    check(status)?;
    Ok(owned)
}

/// Copies a NUL-terminated UTF-8 string owned by the library ("" for NULL).
pub(crate) unsafe fn copy_string(text: *const c_char) -> String {
    if text.is_null() {
        return String::new();
    }
    CStr::from_ptr(text).to_string_lossy().into_owned()
}

/// A string handed out through `char**`: copied, then freed.
pub(crate) fn take_string(call: impl FnOnce(*mut *mut c_char) -> sys::acg2vec_status) -> Result<String> {
    let owned = make(sys::acg2vec_string_free, call)?;
    Ok(unsafe { copy_string(owned.raw) })
}

pub(crate) fn c_string(text: &str) -> Result<CString> {
    CString::new(text).map_err(|_| invalid(format!("{:?} contains a NUL byte", text)))
}

/// NUL-terminated copies of strings and the array of pointers to them, for `const char* const*`.
pub(crate) struct CStrings {
    _owned: Vec<CString>,
    pub pointers: Vec<*const c_char>,
}

impl CStrings {
    pub fn new<S: AsRef<str>>(items: &[S]) -> Result<CStrings> {
        let owned = items.iter().map(|s| c_string(s.as_ref())).collect::<Result<Vec<_>>>()?;
        let pointers = owned.iter().map(|s| s.as_ptr()).collect();
        Ok(CStrings {
            _owned: owned,
            pointers,
        })
    }

    pub fn as_ptr(&self) -> *const *const c_char {
        if self.pointers.is_empty() {
            ptr::null()
        } else {
            self.pointers.as_ptr()
        }
    }
}

/// An acg2vec_strings list as Strings, then freed.
pub(crate) fn take_strings(
    call: impl FnOnce(*mut *mut sys::acg2vec_strings) -> sys::acg2vec_status,
) -> Result<Vec<String>> {
    let list = make(sys::acg2vec_strings_free, call)?;
    let mut count = 0;
    check(unsafe { sys::acg2vec_strings_count(list.raw, &mut count) })?;
    (0..count)
        .map(|i| {
            let mut item = ptr::null();
            check(unsafe { sys::acg2vec_strings_get(list.raw, i, &mut item) })?;
            Ok(unsafe { copy_string(item) })
        })
        .collect()
}

/// An acg2vec_ids list as a Vec, then freed.
pub(crate) fn take_ids(call: impl FnOnce(*mut *mut sys::acg2vec_ids) -> sys::acg2vec_status) -> Result<Vec<i64>> {
    let ids = make(sys::acg2vec_ids_free, call)?;
    let (mut data, mut count) = (ptr::null(), 0);
    check(unsafe { sys::acg2vec_ids_data(ids.raw, &mut data, &mut count) })?;
    Ok(if count == 0 {
        Vec::new()
    } else {
        unsafe { std::slice::from_raw_parts(data, count) }.to_vec()
    })
}

/// A vector's floats, copied.
pub(crate) fn vector_floats(vector: *const sys::acg2vec_vector) -> Result<Vec<f32>> {
    let (mut data, mut size) = (ptr::null(), 0);
    check(unsafe { sys::acg2vec_vector_data(vector, &mut data, &mut size) })?;
    Ok(if size == 0 {
        Vec::new()
    } else {
        unsafe { std::slice::from_raw_parts(data, size) }.to_vec()
    })
}
