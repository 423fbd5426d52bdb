//! Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
//! then searches it by the folder's first image and by a text: the C++ tag_and_search through
//! the C ABI, with no crates beyond the standard library.
//! Usage: tag_and_search TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH

mod acg2vec;

use acg2vec::{Embedder, Hit, Index, Model, Tagger};
use std::env;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const QUERY_TEXT: &str = "a girl with long hair";
const IMAGE_EXTENSIONS: [&str; 8] = ["jpg", "jpeg", "png", "gif", "webp", "bmp", "tga", "psd"];

/// The folder's decodable images (by extension), sorted by file name.
fn list_images(folder: &Path) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let mut images = Vec::new();
    for entry in fs::read_dir(folder).map_err(|e| format!("{}: {}", folder.display(), e))? {
        let path = entry?.path();
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if path.is_file() && IMAGE_EXTENSIONS.contains(&extension.as_str()) {
            images.push(path);
        }
    }
    images.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    if images.is_empty() {
        return Err(format!("no images in {}", folder.display()).into());
    }
    Ok(images)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn print_hits(hits: &[Hit]) {
    for (rank, hit) in hits.iter().enumerate() {
        println!("  {}. {} (distance {:.6})", rank + 1, hit.key, hit.distance);
    }
}

fn run(tagger_path: &Path, embedder_path: &Path, folder: &Path, index_path: &Path) -> Result<(), Box<dyn Error>> {
    acg2vec::check_abi()?;
    let images = list_images(folder)?;

    // 1. Tags: the rating and a caption (characters, then general tags) per image.
    let tagger = Tagger::new(&Model::open(tagger_path)?)?; // the tagger keeps its model alive
    for image in &images {
        let tags = tagger.tag_file(image)?;
        println!("{} [{}] {}", image.display(), tags.rating, tags.caption);
    }

    // 2. An index of the image vectors, keyed by file name, saved and loaded again.
    let embedder = Embedder::new(&Model::open(embedder_path)?)?;
    let options = embedder.index_options()?; // cosine, the embedder's dimension and model
    let mut index = Index::create(&options)?;
    for image in &images {
        index.add(&file_name(image), &embedder.embed_file(image)?)?;
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
    print_hits(&loaded.search(&embedder.embed_file(&images[0])?, 3)?);
    println!("search by text \"{}\":", QUERY_TEXT);
    print_hits(&loaded.search(&embedder.embed_text(QUERY_TEXT)?, 3)?);
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
