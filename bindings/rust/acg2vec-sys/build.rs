// Links libacg2vec.so from ACG2VEC_LIB_DIR, by default the repository's build/src, and hands
// the directory to the crates that depend on this one (DEP_ACG2VEC_LIB_DIR) for their run path.
use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ACG2VEC_LIB_DIR");
    let lib_dir = match env::var_os("ACG2VEC_LIB_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../../../build/src"),
    };
    let lib_dir = lib_dir.canonicalize().unwrap_or(lib_dir);
    println!("cargo:rustc-link-search=native={}", lib_dir.display());
    println!("cargo:rustc-link-lib=dylib=acg2vec");
    println!("cargo:lib_dir={}", lib_dir.display());
}
