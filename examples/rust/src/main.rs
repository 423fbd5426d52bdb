//! Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
//! then searches it by the folder's first image and by a text: the C++ tag_and_search through
//! the safe crate in bindings/rust (acg2vec over acg2vec-sys), with no crates from a registry.
//! Usage: tag_and_search TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH

use acg2vec::{list_image_files, Embedder, Hit, Index, IndexOptions, Model, ModelOptions, TagOptions, Tagger};
use std::env;
use std::error::Error;
use std::path::Path;
use std::process::ExitCode;

const QUERY_TEXT: &str = "a girl with long hair";

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn print_hits(hits: &[Hit]) {
    for (rank, hit) in hits.iter().enumerate() {
        println!("  {}. {} (distance {:.6})", rank + 1, hit.key, hit.distance);
    }
}

fn run(tagger_path: &Path, embedder_path: &Path, folder: &Path, index_path: &Path) -> Result<(), Box<dyn Error>> {
    // The folder's images (by extension), sorted: what `acg2vec index build` would see.
    let images = list_image_files(&[folder])?;
    if images.is_empty() {
        return Err(format!("no images in {}", folder.display()).into());
    }

    // 1. Tags: the rating and a caption (characters, then general tags) per image.
    let defaults = ModelOptions::default();
    let tagger = Tagger::new(&Model::open(tagger_path, &defaults)?, &TagOptions::default())?; // keeps its model
    for image in &images {
        let tags = tagger.tag(image.as_str())?;
        println!("{} [{}] {}", image, tags.rating, tags.caption(", "));
    }

    // 2. An index of the image vectors, keyed by file name, saved and loaded again.
    let embedder = Embedder::new(&Model::open(embedder_path, &defaults)?)?;
    let options = IndexOptions::for_embedder(&embedder)?; // cosine, the embedder's dimension and model
    let mut index = Index::create(&options)?;
    for image in &images {
        index.add(&file_name(image), &embedder.embed(image.as_str())?, &[] as &[&str])?;
    }
    index.save(index_path)?;
    let loaded = Index::load(index_path, &options)?;
    println!(
        "index {}: {} images, {} dimensions",
        index_path.display(),
        loaded.len()?,
        options.dimension()
    );

    // 3. Searches: by an image (its own key comes first) and by a text.
    println!("search by image {}:", file_name(&images[0]));
    print_hits(&loaded.search(&embedder.embed(images[0].as_str())?, 3, &[] as &[&str])?);
    println!("search by text \"{}\":", QUERY_TEXT);
    print_hits(&loaded.search(&embedder.embed_text(QUERY_TEXT)?, 3, &[] as &[&str])?);
    Ok(()) // tagger, embedder and both indexes are freed here
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: {} TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH", args[0]);
        return ExitCode::from(2);
    }
    match run(
        Path::new(&args[1]),
        Path::new(&args[2]),
        Path::new(&args[3]),
        Path::new(&args[4]),
    ) {
        Ok(()) => {
            println!("done");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", error);
            ExitCode::FAILURE
        }
    }
}
