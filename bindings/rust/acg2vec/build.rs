// The tests and examples of this crate find libacg2vec.so through their run path: the
// directory acg2vec-sys linked it from.
fn main() {
    if let Some(dir) = std::env::var_os("DEP_ACG2VEC_LIB_DIR") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.to_string_lossy());
    }
}
