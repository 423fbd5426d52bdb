//! A model file and the tasks run on it.
use crate::error::{check, Error, Result, Status};
use crate::input::{CInputs, Input};
use crate::options::{defaults, ModelOptions, TagOptions};
use crate::owned::{c_string, copy_string, make, take_strings, vector_floats, CStrings, Owned};
use acg2vec_sys as sys;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;

/// A model file opened once; tasks made on it share it.
pub struct Model(pub(crate) Owned<sys::acg2vec_model>);

impl Model {
    pub fn open(path: impl AsRef<Path>, options: &ModelOptions) -> Result<Model> {
        crate::check_abi()?;
        let path = c_string(&String::from_utf8_lossy(path.as_ref().as_os_str().as_bytes()))?;
        let options = options.to_c()?;
        Ok(Model(make(sys::acg2vec_model_free, |out| unsafe {
            sys::acg2vec_model_open(path.as_ptr(), &options.raw, out)
        })?))
    }

    /// The model's acg2vec.json text.
    pub fn metadata(&self) -> Result<String> {
        let mut json = ptr::null();
        check(unsafe { sys::acg2vec_model_metadata(self.0.raw, &mut json) })?;
        Ok(unsafe { copy_string(json) })
    }

    /// 16 hex digits identifying the file's bytes.
    pub fn fingerprint(&self) -> Result<String> {
        let mut text = ptr::null();
        check(unsafe { sys::acg2vec_model_fingerprint(self.0.raw, &mut text) })?;
        Ok(unsafe { copy_string(text) })
    }
}

/// One input of a batch: its name (the path, or "batch[i]") and its result or error.
#[derive(Clone, Debug)]
pub struct Outcome<T> {
    pub input: String,
    pub result: Result<T>,
}

/// Reads a batch through its count / item / result functions.
fn read_batch<B, R, T>(
    batch: &Owned<B>,
    count: unsafe extern "C" fn(*const B, *mut usize) -> sys::acg2vec_status,
    item: unsafe extern "C" fn(
        *const B,
        usize,
        *mut sys::acg2vec_status,
        *mut *const std::os::raw::c_char,
        *mut *const std::os::raw::c_char,
    ) -> sys::acg2vec_status,
    result: unsafe extern "C" fn(*const B, usize, *mut *const R) -> sys::acg2vec_status,
    read: impl Fn(*const R) -> Result<T>,
) -> Result<Vec<Outcome<T>>> {
    let mut n = 0;
    check(unsafe { count(batch.raw, &mut n) })?;
    let mut outcomes = Vec::with_capacity(n);
    for i in 0..n {
        let (mut status, mut input, mut message) = (0, ptr::null(), ptr::null());
        check(unsafe { item(batch.raw, i, &mut status, &mut input, &mut message) })?;
        let input = unsafe { copy_string(input) };
        if status != sys::ACG2VEC_OK {
            let message = unsafe { copy_string(message) };
            outcomes.push(Outcome {
                input,
                result: Err(Error {
                    status: Status(status),
                    message,
                }),
            });
            continue;
        }
        let mut raw = ptr::null();
        check(unsafe { result(batch.raw, i, &mut raw) })?;
        outcomes.push(Outcome {
            input,
            result: read(raw),
        });
    }
    Ok(outcomes)
}

/// The functions that read and free one kind of batch.
struct BatchFunctions<B, R> {
    free: unsafe extern "C" fn(*mut B),
    count: unsafe extern "C" fn(*const B, *mut usize) -> sys::acg2vec_status,
    item: unsafe extern "C" fn(
        *const B,
        usize,
        *mut sys::acg2vec_status,
        *mut *const std::os::raw::c_char,
        *mut *const std::os::raw::c_char,
    ) -> sys::acg2vec_status,
    result: unsafe extern "C" fn(*const B, usize, *mut *const R) -> sys::acg2vec_status,
}

const TAG_BATCH: BatchFunctions<sys::acg2vec_tag_batch, sys::acg2vec_tag_result> = BatchFunctions {
    free: sys::acg2vec_tag_batch_free,
    count: sys::acg2vec_tag_batch_count,
    item: sys::acg2vec_tag_batch_item,
    result: sys::acg2vec_tag_batch_result,
};
const SCORE_BATCH: BatchFunctions<sys::acg2vec_score_batch, sys::acg2vec_score_result> = BatchFunctions {
    free: sys::acg2vec_score_batch_free,
    count: sys::acg2vec_score_batch_count,
    item: sys::acg2vec_score_batch_item,
    result: sys::acg2vec_score_batch_result,
};
const VECTOR_BATCH: BatchFunctions<sys::acg2vec_vector_batch, sys::acg2vec_vector> = BatchFunctions {
    free: sys::acg2vec_vector_batch_free,
    count: sys::acg2vec_vector_batch_count,
    item: sys::acg2vec_vector_batch_item,
    result: sys::acg2vec_vector_batch_result,
};

/// A batch made by `call`, read into Outcomes and freed.
fn run_batch<B, R, T>(
    functions: &BatchFunctions<B, R>,
    call: impl FnOnce(*mut *mut B) -> sys::acg2vec_status,
    read: impl Fn(*const R) -> Result<T>,
) -> Result<Vec<Outcome<T>>> {
    let batch = make(functions.free, call)?;
    read_batch(&batch, functions.count, functions.item, functions.result, read)
}

/// One image through `call`, its result read and freed.
fn run_one<'a, R, T>(
    image: Input<'a>,
    free: unsafe extern "C" fn(*mut R),
    call: impl FnOnce(*const sys::acg2vec_image_input, *mut *mut R) -> sys::acg2vec_status,
    read: impl FnOnce(*const R) -> Result<T>,
) -> Result<T> {
    let inputs = CInputs::new(&[image])?;
    let result = make(free, |out| call(&inputs.inputs[0], out))?;
    read(result.raw)
}

/// Tags of one image, each list most probable first.
#[derive(Clone, Debug, PartialEq)]
pub struct TagResult {
    pub rating: String,
    pub ratings: Vec<(String, f32)>,
    pub characters: Vec<(String, f32)>,
    pub general: Vec<(String, f32)>,
}

impl TagResult {
    /// Characters then general tags, joined: the training-caption form.
    pub fn caption(&self, separator: &str) -> String {
        let names: Vec<&str> = self
            .characters
            .iter()
            .chain(&self.general)
            .map(|(n, _)| n.as_str())
            .collect();
        names.join(separator)
    }

    fn read(result: *const sys::acg2vec_tag_result) -> Result<TagResult> {
        let category = |which| -> Result<Vec<(String, f32)>> {
            let mut count = 0;
            check(unsafe { sys::acg2vec_tag_result_count(result, which, &mut count) })?;
            (0..count)
                .map(|i| {
                    let (mut name, mut probability) = (ptr::null(), 0.0f32);
                    check(unsafe { sys::acg2vec_tag_result_get(result, which, i, &mut name, &mut probability) })?;
                    Ok((unsafe { copy_string(name) }, probability))
                })
                .collect()
        };
        let mut rating = ptr::null();
        check(unsafe { sys::acg2vec_tag_result_rating(result, &mut rating) })?;
        Ok(TagResult {
            rating: unsafe { copy_string(rating) },
            ratings: category(sys::ACG2VEC_TAG_RATING)?,
            characters: category(sys::ACG2VEC_TAG_CHARACTER)?,
            general: category(sys::ACG2VEC_TAG_GENERAL)?,
        })
    }
}

/// A WD14 / DeepDanbooru tagger.
pub struct Tagger(Owned<sys::acg2vec_tagger>);

impl Tagger {
    pub fn new(model: &Model, options: &TagOptions) -> Result<Tagger> {
        let options = options.to_c()?;
        Ok(Tagger(make(sys::acg2vec_tagger_free, |out| unsafe {
            sys::acg2vec_tagger_create(model.0.raw, &options.raw, defaults(), out)
        })?))
    }

    pub fn tag<'a>(&self, image: impl Into<Input<'a>>) -> Result<TagResult> {
        let raw = self.0.raw;
        run_one(
            image.into(),
            sys::acg2vec_tag_result_free,
            |input, out| unsafe { sys::acg2vec_tagger_tag(raw, input, out) },
            TagResult::read,
        )
    }

    /// An Outcome per image, in order; a bad image fails alone.
    pub fn tag_batch(&self, images: &[Input]) -> Result<Vec<Outcome<TagResult>>> {
        let inputs = CInputs::new(images)?;
        let (raw, list, n) = (self.0.raw, inputs.inputs.as_ptr(), inputs.inputs.len());
        run_batch(
            &TAG_BATCH,
            |out| unsafe { sys::acg2vec_tagger_tag_batch(raw, list, n, out) },
            TagResult::read,
        )
    }

    /// The model's probability for every label, in label order.
    pub fn probabilities<'a>(&self, image: impl Into<Input<'a>>) -> Result<Vec<f32>> {
        let raw = self.0.raw;
        run_one(
            image.into(),
            sys::acg2vec_vector_free,
            |input, out| unsafe { sys::acg2vec_tagger_probabilities(raw, input, out) },
            vector_floats,
        )
    }

    /// The label names in output order, with their Danbooru category numbers.
    pub fn labels(&self) -> Result<Vec<(String, i32)>> {
        let mut count = 0;
        check(unsafe { sys::acg2vec_tagger_label_count(self.0.raw, &mut count) })?;
        (0..count)
            .map(|i| {
                let (mut name, mut category) = (ptr::null(), 0);
                check(unsafe { sys::acg2vec_tagger_label(self.0.raw, i, &mut name, &mut category) })?;
                Ok((unsafe { copy_string(name) }, category))
            })
            .collect()
    }
}

/// One class of a head.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassScore {
    pub index: usize,
    pub label: String,
    pub probability: f32,
}

/// One classification head: the best class, the top k, and the expected value of numeric bins.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadScore {
    pub name: String,
    pub best: ClassScore,
    pub top: Vec<ClassScore>,
    pub expected_value: Option<f64>,
}

fn read_scores(result: *const sys::acg2vec_score_result) -> Result<Vec<HeadScore>> {
    let class = |call: &dyn Fn(*mut usize, *mut *const std::os::raw::c_char, *mut f32) -> i32| -> Result<ClassScore> {
        let (mut index, mut label, mut probability) = (0, ptr::null(), 0.0f32);
        check(call(&mut index, &mut label, &mut probability))?;
        Ok(ClassScore {
            index,
            label: unsafe { copy_string(label) },
            probability,
        })
    };
    let mut heads = 0;
    check(unsafe { sys::acg2vec_score_result_head_count(result, &mut heads) })?;
    (0..heads)
        .map(|h| {
            let mut name = ptr::null();
            check(unsafe { sys::acg2vec_score_result_head_name(result, h, &mut name) })?;
            let best = class(&|i, l, p| unsafe { sys::acg2vec_score_result_best(result, h, i, l, p) })?;
            let mut top_count = 0;
            check(unsafe { sys::acg2vec_score_result_top_count(result, h, &mut top_count) })?;
            let top = (0..top_count)
                .map(|rank| class(&|i, l, p| unsafe { sys::acg2vec_score_result_top(result, h, rank, i, l, p) }))
                .collect::<Result<Vec<_>>>()?;
            let (mut has_value, mut value) = (0, 0.0f64);
            check(unsafe { sys::acg2vec_score_result_expected_value(result, h, &mut has_value, &mut value) })?;
            Ok(HeadScore {
                name: unsafe { copy_string(name) },
                best,
                top,
                expected_value: if has_value != 0 { Some(value) } else { None },
            })
        })
        .collect()
}

/// Classification heads (one, or several as pix2score's).
pub struct Scorer(Owned<sys::acg2vec_scorer>);

impl Scorer {
    pub fn new(model: &Model) -> Result<Scorer> {
        Ok(Scorer(make(sys::acg2vec_scorer_free, |out| unsafe {
            sys::acg2vec_scorer_create(model.0.raw, defaults(), defaults(), out)
        })?))
    }

    pub fn score<'a>(&self, image: impl Into<Input<'a>>) -> Result<Vec<HeadScore>> {
        let raw = self.0.raw;
        run_one(
            image.into(),
            sys::acg2vec_score_result_free,
            |input, out| unsafe { sys::acg2vec_scorer_score(raw, input, out) },
            read_scores,
        )
    }

    pub fn score_batch(&self, images: &[Input]) -> Result<Vec<Outcome<Vec<HeadScore>>>> {
        let inputs = CInputs::new(images)?;
        let (raw, list, n) = (self.0.raw, inputs.inputs.as_ptr(), inputs.inputs.len());
        run_batch(
            &SCORE_BATCH,
            |out| unsafe { sys::acg2vec_scorer_score_batch(raw, list, n, out) },
            read_scores,
        )
    }

    pub fn head_names(&self) -> Result<Vec<String>> {
        take_strings(|out| unsafe { sys::acg2vec_scorer_head_names(self.0.raw, out) })
    }
}

/// Two vectors compared.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Similarity {
    pub cosine: f64,
    pub l2_distance: f64,
    /// 0-100: 100 x max(0, cosine).
    pub score: f64,
}

/// Image and text vectors.
pub struct Embedder(pub(crate) Owned<sys::acg2vec_embedder>);

impl Embedder {
    pub fn new(model: &Model) -> Result<Embedder> {
        Ok(Embedder(make(sys::acg2vec_embedder_free, |out| unsafe {
            sys::acg2vec_embedder_create(model.0.raw, defaults(), defaults(), out)
        })?))
    }

    pub fn dimensions(&self) -> Result<usize> {
        let mut n = 0;
        check(unsafe { sys::acg2vec_embedder_dimensions(self.0.raw, &mut n) })?;
        Ok(n)
    }

    pub fn embed<'a>(&self, image: impl Into<Input<'a>>) -> Result<Vec<f32>> {
        let raw = self.0.raw;
        run_one(
            image.into(),
            sys::acg2vec_vector_free,
            |input, out| unsafe { sys::acg2vec_embedder_embed(raw, input, out) },
            vector_floats,
        )
    }

    pub fn embed_batch(&self, images: &[Input]) -> Result<Vec<Outcome<Vec<f32>>>> {
        let inputs = CInputs::new(images)?;
        let (raw, list, n) = (self.0.raw, inputs.inputs.as_ptr(), inputs.inputs.len());
        run_batch(
            &VECTOR_BATCH,
            |out| unsafe { sys::acg2vec_embedder_embed_batch(raw, list, n, out) },
            vector_floats,
        )
    }

    pub fn embed_text(&self, text: &str) -> Result<Vec<f32>> {
        let text = c_string(text)?;
        let vector = make(sys::acg2vec_vector_free, |out| unsafe {
            sys::acg2vec_embedder_embed_text(self.0.raw, text.as_ptr(), out)
        })?;
        vector_floats(vector.raw)
    }

    /// One vector per text, batch_size texts per forward pass.
    pub fn embed_texts<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        let texts = CStrings::new(texts)?;
        let (raw, list, n) = (self.0.raw, texts.as_ptr(), texts.pointers.len());
        run_batch(
            &VECTOR_BATCH,
            |out| unsafe { sys::acg2vec_embedder_embed_texts(raw, list, n, out) },
            vector_floats,
        )?
        .into_iter()
        .map(|o| o.result)
        .collect()
    }

    /// Similarity of two images, both in one forward pass.
    pub fn similarity<'a, 'b>(&self, a: impl Into<Input<'a>>, b: impl Into<Input<'b>>) -> Result<Similarity> {
        let inputs = CInputs::new(&[a.into(), b.into()])?;
        let mut out = sys::acg2vec_similarity {
            cosine: 0.0,
            l2_distance: 0.0,
            score: 0.0,
        };
        check(unsafe { sys::acg2vec_embedder_similarity(self.0.raw, &inputs.inputs[0], &inputs.inputs[1], &mut out) })?;
        Ok(Similarity {
            cosine: out.cosine,
            l2_distance: out.l2_distance,
            score: out.score,
        })
    }
}
