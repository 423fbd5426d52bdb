// The example finds libacg2vec.so through its run path: the directory acg2vec-sys linked it
// from ($ACG2VEC_LIB_DIR, by default the repository's build/src).
fn main() {
    if let Some(dir) = std::env::var_os("DEP_ACG2VEC_LIB_DIR") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.to_string_lossy());
    }
}
