// Links libacg2vec.so from ACG2VEC_LIB_DIR, by default the repository's build/src, and records
// that directory as the executable's run path so it runs without LD_LIBRARY_PATH.
use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ACG2VEC_LIB_DIR");
    let lib_dir = match env::var_os("ACG2VEC_LIB_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../../build/src"),
    };
    let lib_dir = lib_dir.canonicalize().unwrap_or(lib_dir);
    println!("cargo:rustc-link-search=native={}", lib_dir.display());
    println!("cargo:rustc-link-lib=dylib=acg2vec");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib_dir.display());
}
