//! The safe API against the C library on the fixture models and the shared images.
//! Environment: ACG2VEC_TEST_FIXTURES (the fixture models), ACG2VEC_SHARED_DATA (../shared/data),
//! ACG2VEC_TEST_WORK (scratch); the library from ACG2VEC_LIB_DIR at build time.
use acg2vec::{
    index_key, list_image_files, ClipTokenizer, Embedder, Index, IndexOptions, Input, Model, ModelOptions, Scorer,
    Status, TagOptions, Tagger, WordPieceTokenizer,
};
use std::path::PathBuf;

fn env_path(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os(name).unwrap_or_else(|| panic!("set {}", name)))
}
fn fixture(name: &str) -> PathBuf {
    env_path("ACG2VEC_TEST_FIXTURES").join(name)
}
fn data(name: &str) -> PathBuf {
    env_path("ACG2VEC_SHARED_DATA").join(name)
}
fn work(name: &str) -> PathBuf {
    let dir = env_path("ACG2VEC_TEST_WORK");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}
fn model(name: &str) -> Model {
    Model::open(fixture(name), &ModelOptions::default()).unwrap()
}

#[test]
fn tags_with_options_and_batches_where_a_bad_image_fails_alone() {
    let hr = data("images/anime4k_knnw_hr_256x256.png");
    let broken = data("tricky/broken.png");
    let options = TagOptions {
        max_general: Some(3),
        underscores_to_spaces: Some(true),
        ..Default::default()
    };
    let tagger = Tagger::new(&model("wd_table_fixture.pt"), &options).unwrap();
    let tags = tagger.tag(&hr).unwrap();
    assert_eq!(tags.ratings.len(), 4);
    assert_eq!(tags.rating, tags.ratings[0].0);
    assert_eq!(tags.general.len(), 3);
    assert!(tags.general.windows(2).all(|w| w[0].1 >= w[1].1), "most probable first");
    assert!(
        tags.general.iter().all(|(name, _)| !name.contains('_')),
        "underscores_to_spaces"
    );
    let bytes = std::fs::read(&hr).unwrap();
    assert_eq!(
        tagger.tag(bytes.as_slice()).unwrap(),
        tags,
        "bytes give the same tags as the file"
    );
    assert_eq!(tagger.probabilities(&hr).unwrap().len(), tagger.labels().unwrap().len());

    let batch = tagger
        .tag_batch(&[Input::File(&hr), Input::File(&broken), Input::Bytes(b"junk")])
        .unwrap();
    assert_eq!(batch[0].result.as_ref().unwrap(), &tags);
    let error = batch[1].result.as_ref().unwrap_err();
    assert_eq!(error.status, Status::INVALID_IMAGE);
    assert!(error.message.contains("broken.png"), "{}", error.message);
    assert_eq!(batch[2].input, "batch[2]");
    assert_eq!(
        batch[2].result.as_ref().unwrap_err().status.name(),
        "unsupported_format"
    );
}

#[test]
fn open_errors_name_the_file_and_the_task() {
    let missing = work("missing.pt");
    let error = Model::open(&missing, &ModelOptions::default()).err().unwrap();
    assert_eq!(error.status, Status::MODEL_LOAD);
    assert!(error.message.contains("missing.pt"), "{}", error.message);
    let error = Tagger::new(&model("classifier_fixture.pt"), &TagOptions::default())
        .err()
        .unwrap();
    assert!(error.message.contains("this is a scorer model"), "{}", error.message);
    let threads = ModelOptions {
        threads: Some(5000),
        ..Default::default()
    };
    let error = Model::open(fixture("classifier_fixture.pt"), &threads).err().unwrap();
    assert_eq!(error.status, Status::INVALID_ARGUMENT);
    assert!(error.to_string().contains("(invalid_argument)"));
}

#[test]
fn scores_heads_with_expected_values() {
    let scorer = Scorer::new(&model("pix2score_fixture.pt")).unwrap();
    assert_eq!(scorer.head_names().unwrap(), ["bookmark", "view", "sanity"]);
    let heads = scorer.score(&data("images/anime4k_knnw_hr_256x256.png")).unwrap();
    let view = heads.iter().find(|h| h.name == "view").unwrap();
    assert_eq!(view.best.label, "500-1000");
    assert_eq!(view.top[0], view.best);
    assert!((view.expected_value.unwrap() - 875.0).abs() < 1e-3);
    let batch = scorer.score_batch(&[Input::File(&data("tricky/broken.png"))]).unwrap();
    assert_eq!(batch[0].result.as_ref().unwrap_err().status, Status::INVALID_IMAGE);
}

#[test]
fn embeds_indexes_saves_loads_and_searches() {
    let hr = data("images/anime4k_knnw_hr_256x256.png");
    let jpeg = data("images/mangaocr_01_188x251.jpg");
    let embedder = Embedder::new(&model("two_tower_fixture.pt")).unwrap();
    assert_eq!(embedder.dimensions().unwrap(), 4);
    let vector = embedder.embed(&hr).unwrap();
    let texts = embedder.embed_texts(&["a cat", "a dog"]).unwrap();
    assert_eq!(texts[0], embedder.embed_text("a cat").unwrap());
    let same = embedder.similarity(&hr, &hr).unwrap();
    assert!((same.score - 100.0).abs() < 1e-3);
    let batch = embedder
        .embed_batch(&[Input::File(&hr), Input::File(&data("tricky/broken.png"))])
        .unwrap();
    assert_eq!(batch[0].result.as_ref().unwrap(), &vector);
    assert!(batch[1].result.is_err());

    let options = IndexOptions::for_embedder(&embedder).unwrap();
    let mut index = Index::create(&options).unwrap();
    index.add("hr", &vector, &["side:a"]).unwrap();
    index
        .add("jpeg", &embedder.embed(&jpeg).unwrap(), &[] as &[&str])
        .unwrap();
    assert_eq!(
        index.add("hr", &vector, &[] as &[&str]).unwrap_err().status,
        Status::INVALID_ARGUMENT
    );
    assert!(index
        .add("short", &[1.0, 2.0], &[] as &[&str])
        .unwrap_err()
        .message
        .contains("dimension"));
    assert_eq!(index.search(&vector, 2, &[] as &[&str]).unwrap()[0].key, "hr");
    let only_b: Vec<String> = index
        .search(&vector, 2, &["side:b"])
        .unwrap()
        .into_iter()
        .map(|h| h.key)
        .collect();
    assert!(only_b.is_empty());
    assert_eq!(index.categories("hr").unwrap(), ["side:a"]);
    assert!(index.contains("jpeg").unwrap());
    assert!(index.remove("jpeg").unwrap());
    assert!(!index.remove("jpeg").unwrap());
    assert_eq!(index.get("absent").unwrap_err().status, Status::NOT_FOUND);
    let path = work("rust.idx");
    index.save(&path).unwrap();
    let loaded = Index::load(&path, &options).unwrap();
    assert_eq!(loaded.keys().unwrap(), ["hr"]);
    let other = Embedder::new(&model("scorer_embedder_fixture.pt")).unwrap();
    let error = Index::load(&path, &IndexOptions::for_embedder(&other).unwrap())
        .err()
        .unwrap();
    assert!(error.message.contains("two-tower-fixture"), "{}", error.message);
    std::fs::write(work("bad.idx"), b"not an index").unwrap();
    assert_eq!(
        Index::load(work("bad.idx"), &options).err().unwrap().status,
        Status::INDEX_FORMAT
    );
}

#[test]
fn tokenizers_and_file_helpers() {
    let clip = ClipTokenizer::open(data("clip/bpe_simple_vocab_16e6.txt.gz")).unwrap();
    assert_eq!(
        &clip.tokenize("1girl, long_hair").unwrap()[..9],
        [49406, 272, 1611, 267, 1538, 318, 2225, 49407, 0]
    );
    assert_eq!(clip.pieces("1girl").unwrap(), ["1</w>", "girl</w>"]);
    let bert = WordPieceTokenizer::open(data("bert/bert-base-uncased-vocab.txt")).unwrap();
    assert_eq!(bert.tokenize("Hello World").unwrap(), ["hello", "world"]);
    assert_eq!(bert.encode("Hello World").unwrap()[0], bert.token_id("[CLS]").unwrap());
    assert_eq!(
        bert.token_id("no-such-token-here").unwrap_err().status,
        Status::NOT_FOUND
    );
    assert_eq!(
        ClipTokenizer::open(work("none.txt.gz")).err().unwrap().status,
        Status::IO
    );
    let images = list_image_files(&[data("images")]).unwrap();
    assert_eq!(images.len(), 20);
    assert_eq!(index_key(data("images/x.png"), data(".")).unwrap(), "images/x.png");
    assert!(acg2vec::version().split('.').count() == 3);
}

#[test]
fn thousands_of_open_use_drop_cycles_keep_memory_flat() {
    fn rss_kib() -> i64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
    let image = data("images/mangaocr_01_188x251.jpg");
    let cycle = |n: usize| {
        for _ in 0..n {
            let scorer = Scorer::new(&model("classifier_fixture.pt")).unwrap();
            scorer.score(&image).unwrap();
            scorer
                .score_batch(&[Input::File(&image), Input::Bytes(b"junk")])
                .unwrap();
        }
    };
    cycle(300);
    let before = rss_kib();
    cycle(1500);
    let grown = rss_kib() - before;
    eprintln!("1500 scorer open/score/drop cycles: RSS grew {} KiB", grown);
    assert!(grown < 6 * 1024, "RSS grew by {} KiB", grown);
}
