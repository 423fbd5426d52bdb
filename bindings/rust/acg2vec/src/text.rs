//! The text tokenizers, token for token as the reference implementations.
use crate::error::{check, Result};
use crate::options::defaults;
use crate::owned::{c_string, make, take_ids, take_strings, Owned};
use acg2vec_sys as sys;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

fn c_path(path: &Path) -> Result<std::ffi::CString> {
    c_string(&String::from_utf8_lossy(path.as_os_str().as_bytes()))
}

/// CLIP's BPE tokenizer, from bpe_simple_vocab_16e6.txt.gz.
pub struct ClipTokenizer(Owned<sys::acg2vec_clip_tokenizer>);

impl ClipTokenizer {
    pub fn open(path: impl AsRef<Path>) -> Result<ClipTokenizer> {
        let path = c_path(path.as_ref())?;
        Ok(ClipTokenizer(make(sys::acg2vec_clip_tokenizer_free, |out| unsafe {
            sys::acg2vec_clip_tokenizer_open(path.as_ptr(), defaults(), out)
        })?))
    }

    /// What the model takes: start, ids, end, zeros up to the context length.
    pub fn tokenize(&self, text: &str) -> Result<Vec<i64>> {
        let text = c_string(text)?;
        take_ids(|out| unsafe { sys::acg2vec_clip_tokenizer_tokenize(self.0.raw, text.as_ptr(), out) })
    }

    /// BPE pieces ("girl</w>").
    pub fn pieces(&self, text: &str) -> Result<Vec<String>> {
        let text = c_string(text)?;
        take_strings(|out| unsafe { sys::acg2vec_clip_tokenizer_pieces(self.0.raw, text.as_ptr(), out) })
    }
}

/// BERT's WordPiece tokenizer, from a vocab.txt (uncased: lower case, accents stripped).
pub struct WordPieceTokenizer(Owned<sys::acg2vec_wordpiece_tokenizer>);

impl WordPieceTokenizer {
    pub fn open(path: impl AsRef<Path>) -> Result<WordPieceTokenizer> {
        let path = c_path(path.as_ref())?;
        Ok(WordPieceTokenizer(make(
            sys::acg2vec_wordpiece_tokenizer_free,
            |out| unsafe { sys::acg2vec_wordpiece_tokenizer_open(path.as_ptr(), defaults(), out) },
        )?))
    }

    /// Word pieces ("un", "##aff").
    pub fn tokenize(&self, text: &str) -> Result<Vec<String>> {
        let text = c_string(text)?;
        take_strings(|out| unsafe { sys::acg2vec_wordpiece_tokenizer_tokenize(self.0.raw, text.as_ptr(), out) })
    }

    /// [CLS] pieces [SEP] as ids.
    pub fn encode(&self, text: &str) -> Result<Vec<i64>> {
        let text = c_string(text)?;
        take_ids(|out| unsafe { sys::acg2vec_wordpiece_tokenizer_encode(self.0.raw, text.as_ptr(), out) })
    }

    pub fn token_id(&self, token: &str) -> Result<i64> {
        let token = c_string(token)?;
        let mut id = 0;
        check(unsafe { sys::acg2vec_wordpiece_tokenizer_token_id(self.0.raw, token.as_ptr(), &mut id) })?;
        Ok(id)
    }
}
